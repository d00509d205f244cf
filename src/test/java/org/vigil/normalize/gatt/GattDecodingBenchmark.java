package org.vigil.normalize.gatt;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.vigil.normalize.DeviceReading;

/**
 * One GATT characteristic value, as a hub forwards it, decoded into readings. The values are the
 * fullest valid vectors of shared/data/gatt/VECTORS.md (every optional field present), so each
 * decode walks its characteristic's longest path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GattDecodingBenchmark {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:00Z");

  /** Characteristic and value (hex, as on the air), by the name the benchmark is run with. */
  private static final Map<String, String[]> VECTORS =
      Map.of(
          // NORDIC HeartRateMeasurementDataCallbackTest: UINT16 rate, contact, energy, 3 RR
          "heartRate", new String[] {"2A37", "1F 01 01 32 01 01 00 02 01 FF FF"},
          // NORDIC BloodPressureMeasurementDataCallbackTest: time stamp, pulse, user, status
          "bloodPressure",
              new String[] {"2A35", "1E 8A 00 58 00 78 00 00 00 04 11 14 29 3B 3C 00 01 27 00"},
          // NORDIC TemperatureMeasurementDataCallbackTest: FLOAT, time stamp, type
          "temperature", new String[] {"2A1C", "06 B0 0E 00 FE DC 07 0C 05 0B 32 1B 04"},
          // NORDIC GlucoseMeasurementDataCallbackTest: offset, concentration, status, context
          "glucose", new String[] {"2A18", "1B 01 00 E3 07 02 1B 0B 0A 1E FB FF 1E 00 12 05 01"},
          // SPEZI PLXTests: spot-check with time stamp, both statuses and pulse amplitude index
          "plxSpotCheck",
              new String[] {"2A5E", "0F AC F3 BE F5 E8 07 0B 1D 17 08 39 20 40 22 00 00 66 E3"},
          // SPEZI PLXTests: continuous with fast, slow, both statuses and pulse amplitude index
          "plxContinuous",
              new String[] {"2A5F", "1F DE F3 CA F3 CA F3 5A F5 D4 F3 B2 F2 20 01 00 00 00 7A E3"});

  @Param({"heartRate", "bloodPressure", "temperature", "glucose", "plxSpotCheck", "plxContinuous"})
  public String vector;

  private final GattCodec codec = new GattCodec(ZoneOffset.UTC);
  private String uuid;
  private byte[] value;

  @Setup
  public void loadVector() {
    String[] chosen = VECTORS.get(vector);
    uuid = chosen[0];
    value = HexFormat.of().parseHex(chosen[1].replace(" ", ""));
    // measure the decoding of readings, never the path that rejects a value
    if (decode().isEmpty()) {
      throw new IllegalStateException(vector + " gives no reading");
    }
  }

  @Benchmark
  public List<DeviceReading> decode() {
    return codec.decode(uuid, value, RECEIVED);
  }
}
