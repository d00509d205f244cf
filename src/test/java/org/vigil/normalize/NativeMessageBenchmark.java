package org.vigil.normalize;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementIds;

/**
 * A bedside monitor's message in Vigil's native JSON — the vitals of the RCP's NEWS2 worked
 * example, one of them in a unit that needs converting — decoded and normalized to canonical
 * measurements, as every HTTP and MQTT reading is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NativeMessageBenchmark {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:05Z");
  private static final byte[] MESSAGE =
      """
      {"time":"2026-11-24T10:00:00Z","measurements":[
        {"code":"9279-1","value":21,"unit":"/min"},
        {"system":"http://loinc.org","code":"59408-5","value":93,"unit":"%"},
        {"code":"8480-6","value":120,"unit":"mm[Hg]"},
        {"code":"8462-4","value":80,"unit":"mm[Hg]"},
        {"code":"8867-4","value":95,"unit":"/min","time":"2026-11-24T10:00:01Z"},
        {"code":"8310-5","value":101.3,"unit":"[degF]"}]}
      """
          .getBytes(StandardCharsets.UTF_8);

  private final NativeMessageCodec codec = new NativeMessageCodec(1000);
  private Normalizer normalizer;
  private List<DeviceReading> decoded;

  @Setup
  public void createNormalizer() {
    normalizer =
        new Normalizer(
            MeasurementCatalog.standard(),
            new MeasurementIds(Clock.fixed(RECEIVED, ZoneOffset.UTC), 0, 0),
            Duration.ofMinutes(5));
    decoded = codec.decode(MESSAGE, RECEIVED);
  }

  @Benchmark
  public List<DeviceReading> decode() {
    return codec.decode(MESSAGE, RECEIVED);
  }

  @Benchmark
  public List<Measurement> decodeAndNormalize() {
    return normalizer.normalize(
        codec.decode(MESSAGE, RECEIVED), "patient-1", "monitor-1", RECEIVED);
  }

  @Benchmark
  public List<Measurement> normalize() {
    return normalizer.normalize(decoded, "patient-1", "monitor-1", RECEIVED);
  }
}
