package org.vigil.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;
import org.vigil.device.DeviceRegistry;
import org.vigil.log.IngestLog;
import org.vigil.measurement.Measurement;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.NativeMessageCodec;
import org.vigil.normalize.Normalizer;

/**
 * The transport-independent half of every device message: resolve the device's patient, decode,
 * normalize, append to the ingest log. The transport authenticates before and acknowledges after —
 * when the returned future completes, and not before.
 */
@Service
public class IngestService {

  private final DeviceRegistry devices;
  private final NativeMessageCodec nativeCodec;
  private final Normalizer normalizer;
  private final IngestLog log;
  private final MeterRegistry meters;

  public IngestService(
      DeviceRegistry devices,
      NativeMessageCodec nativeCodec,
      Normalizer normalizer,
      IngestLog log,
      MeterRegistry meters) {
    this.devices = devices;
    this.nativeCodec = nativeCodec;
    this.normalizer = normalizer;
    this.log = log;
    this.meters = meters;
  }

  /**
   * Accepts one device message.
   *
   * @return the number of readings, once they are durable
   * @throws InvalidMessageException when the message cannot be read (nothing was stored)
   * @throws DeviceNotAssignedException when the device serves no patient (nothing was stored)
   */
  public CompletableFuture<Integer> accept(DeviceEnvelope envelope) {
    List<Measurement> measurements;
    try {
      String patientId =
          devices
              .currentPatient(envelope.deviceId())
              .orElseThrow(() -> new DeviceNotAssignedException(envelope.deviceId()));
      List<DeviceReading> readings = decode(envelope);
      measurements =
          normalizer.normalize(readings, patientId, envelope.deviceId(), envelope.receivedAt());
    } catch (InvalidMessageException e) {
      rejected(envelope, "invalid");
      throw e;
    } catch (DeviceNotAssignedException e) {
      rejected(envelope, "unassigned");
      throw e;
    }
    int count = measurements.size();
    return log.append(measurements)
        .whenComplete((ok, failure) -> {
          if (failure == null) {
            counter("vigil.ingest.readings", envelope, "accepted").increment(count);
            counter("vigil.ingest.messages", envelope, "accepted").increment();
          } else {
            rejected(envelope, "unavailable");
          }
        })
        .thenApply(ok -> count);
  }

  private List<DeviceReading> decode(DeviceEnvelope envelope) {
    return switch (envelope.format()) {
      case NATIVE_JSON -> nativeCodec.decode(envelope.payload(), envelope.receivedAt());
    };
  }

  /** Counts a message refused for a reason, per transport, for the operator's dashboard. */
  public void rejected(DeviceEnvelope envelope, String reason) {
    rejected(envelope.transport(), reason);
  }

  public void rejected(String transport, String reason) {
    Counter.builder("vigil.ingest.rejected")
        .description("Device messages refused, by transport and reason")
        .tag("transport", transport)
        .tag("reason", reason)
        .register(meters)
        .increment();
  }

  private Counter counter(String name, DeviceEnvelope envelope, String outcome) {
    return Counter.builder(name)
        .description(
            name.endsWith("readings")
                ? "Readings stored durably and acknowledged to the device"
                : "Device messages acknowledged")
        .tag("transport", envelope.transport())
        .tag("outcome", outcome)
        .register(meters);
  }
}
