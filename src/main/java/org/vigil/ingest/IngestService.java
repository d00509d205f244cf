package org.vigil.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;
import org.vigil.device.Device;
import org.vigil.device.DeviceHealth;
import org.vigil.device.DeviceRegistry;
import org.vigil.log.IngestLog;
import org.vigil.measurement.Measurement;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.gatt.GattCodec;
import org.vigil.normalize.template.TemplateRegistry;
import org.vigil.normalize.template.TemplateResult;

/**
 * The transport-independent part of every device message, in a fixed order: check the device's
 * rate, decode, route each reading to the patient the device served at its time, normalize, append
 * to the ingest log. The transport authenticates before and acknowledges after — when the returned
 * future completes, and not before. What cannot be read, or has no patient, goes to the dead-letter
 * store as well as back to the sender as an error.
 */
@Service
public class IngestService {

  private final DeviceRegistry devices;
  private final DeviceHealth health;
  private final DeviceRateLimiter rateLimiter;
  private final TemplateRegistry templates;
  private final GattCodec gattCodec;
  private final Normalizer normalizer;
  private final IngestLog log;
  private final DeadLetters deadLetters;
  private final IngestProperties limits;
  private final MeterRegistry meters;

  public IngestService(
      DeviceRegistry devices,
      DeviceHealth health,
      DeviceRateLimiter rateLimiter,
      TemplateRegistry templates,
      GattCodec gattCodec,
      Normalizer normalizer,
      IngestLog log,
      DeadLetters deadLetters,
      IngestProperties limits,
      MeterRegistry meters) {
    this.devices = devices;
    this.health = health;
    this.rateLimiter = rateLimiter;
    this.templates = templates;
    this.gattCodec = gattCodec;
    this.normalizer = normalizer;
    this.log = log;
    this.deadLetters = deadLetters;
    this.limits = limits;
    this.meters = meters;
  }

  /**
   * Accepts one device message.
   *
   * @return the number of readings, once they are durable
   * @throws RateLimitedException when the device sends too fast (nothing kept; send it later)
   * @throws InvalidMessageException when the message cannot be read (kept as a dead letter)
   * @throws DeviceNotAssignedException when the device served no patient at a reading's time (kept
   *     as a dead letter)
   */
  public CompletableFuture<Integer> accept(DeviceEnvelope envelope) {
    var decision = rateLimiter.tryAcquire(envelope.deviceId());
    if (!decision.allowed()) {
      rejected(envelope.transport(), "rate-limited");
      throw new RateLimitedException(
          envelope.deviceId(), limits.maxMessagesPerSecond(), decision.retryAfter());
    }
    health.seen(envelope.deviceId(), envelope.receivedAt());
    List<List<Measurement>> perPatient;
    try {
      perPatient = read(envelope);
    } catch (InvalidMessageException | DeviceNotAssignedException e) {
      rejected(
          envelope.transport(), e instanceof InvalidMessageException ? "invalid" : "unassigned");
      deadLetters.record(
          envelope.deviceId(),
          envelope.transport(),
          envelope.content().describe(),
          envelope.payload(),
          envelope.receivedAt(),
          e.getMessage());
      throw e;
    }
    return append(envelope.transport(), perPatient);
  }

  /**
   * Readings a transport decoded itself (HL7 v2 messages name their own codes, units and, often,
   * their patient), from one device.
   *
   * @param patientId the patient the message names; empty to route by the device's assignment
   * @return the number of readings, once they are durable
   * @throws RateLimitedException when the device sends too fast
   * @throws InvalidMessageException when a reading cannot be normalized or the device is unknown
   * @throws DeviceNotAssignedException when no patient is named and the device served none
   */
  public CompletableFuture<Integer> acceptReadings(
      String deviceId,
      String transport,
      List<DeviceReading> readings,
      Optional<String> patientId,
      Instant receivedAt) {
    var decision = rateLimiter.tryAcquire(deviceId);
    if (!decision.allowed()) {
      rejected(transport, "rate-limited");
      throw new RateLimitedException(
          deviceId, limits.maxMessagesPerSecond(), decision.retryAfter());
    }
    health.seen(deviceId, receivedAt);
    Device device =
        devices
            .find(deviceId)
            .orElseThrow(() ->
                new InvalidMessageException(
                    MessageProblem.ofMessage("device " + deviceId + " is not registered")));
    Map<String, List<DeviceReading>> byPatient = new LinkedHashMap<>();
    for (DeviceReading reading : readings) {
      String patient =
          patientId
              .or(() -> devices.patientAt(device.id(), reading.effectiveAt()))
              .orElseThrow(
                  () -> new DeviceNotAssignedException(device.id(), reading.effectiveAt()));
      byPatient.computeIfAbsent(patient, p -> new ArrayList<>()).add(reading);
    }
    List<List<Measurement>> perPatient = new ArrayList<>();
    for (var group : byPatient.entrySet()) {
      perPatient.add(
          normalizer.normalize(group.getValue(), group.getKey(), device.id(), receivedAt));
    }
    return append(transport, perPatient);
  }

  /**
   * Replays a message as if it had just arrived, except for its original receive time. For dead
   * letters: on success the readings are stored; on failure nothing is kept twice.
   */
  CompletableFuture<Integer> replay(DeviceEnvelope envelope) {
    return append(envelope.transport(), read(envelope));
  }

  private List<List<Measurement>> read(DeviceEnvelope envelope) {
    Device device =
        devices
            .find(envelope.deviceId())
            .orElseThrow(() ->
                new InvalidMessageException(
                    MessageProblem.ofMessage(
                        "device " + envelope.deviceId() + " is not registered")));
    List<DeviceReading> readings = decode(device, envelope);
    Map<String, List<DeviceReading>> byPatient = new LinkedHashMap<>();
    for (DeviceReading reading : readings) {
      String patient =
          devices
              .patientAt(device.id(), reading.effectiveAt())
              .orElseThrow(
                  () -> new DeviceNotAssignedException(device.id(), reading.effectiveAt()));
      byPatient.computeIfAbsent(patient, p -> new ArrayList<>()).add(reading);
    }
    List<List<Measurement>> measurements = new ArrayList<>();
    for (var group : byPatient.entrySet()) {
      measurements.add(
          normalizer.normalize(
              group.getValue(), group.getKey(), device.id(), envelope.receivedAt()));
    }
    return measurements;
  }

  private List<DeviceReading> decode(Device device, DeviceEnvelope envelope) {
    return switch (envelope.content()) {
      case DeviceContent.Json json -> {
        TemplateResult result =
            templates.read(
                device.type(),
                device.details().template(),
                envelope.payload(),
                envelope.receivedAt());
        if (result.deviceId().isPresent() && !result.deviceId().get().equals(device.id())) {
          throw new InvalidMessageException(
              MessageProblem.ofMessage(
                  "the payload names device "
                      + result.deviceId().get()
                      + " but was sent by "
                      + device.id()
                      + "; a device sends only its own readings"));
        }
        yield result.readings();
      }
      case DeviceContent.Gatt gatt ->
          gattCodec.decode(gatt.characteristic(), envelope.payload(), envelope.receivedAt());
    };
  }

  private CompletableFuture<Integer> append(String transport, List<List<Measurement>> perPatient) {
    int count = perPatient.stream().mapToInt(List::size).sum();
    if (count == 0) {
      counter("vigil.ingest.messages", transport, "accepted").increment();
      return CompletableFuture.completedFuture(0);
    }
    // A message rarely spans a change of patient; when it does, each patient's readings are one
    // append. Should one fail, the device retries the message and the store keeps each reading
    // once.
    CompletableFuture<?>[] appends =
        perPatient.stream().map(log::append).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(appends)
        .whenComplete((ok, failure) -> {
          if (failure == null) {
            counter("vigil.ingest.readings", transport, "accepted").increment(count);
            counter("vigil.ingest.messages", transport, "accepted").increment();
          } else {
            rejected(transport, "unavailable");
          }
        })
        .thenApply(ok -> count);
  }

  /** Counts a message refused for a reason, per transport, for the operator's dashboard. */
  public void rejected(String transport, String reason) {
    Counter.builder("vigil.ingest.rejected")
        .description("Device messages refused, by transport and reason")
        .tag("transport", transport)
        .tag("reason", reason)
        .register(meters)
        .increment();
  }

  private final Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

  /** Counters are looked up per message, so each is built once and kept. */
  private Counter counter(String name, String transport, String outcome) {
    return counters.computeIfAbsent(
        name + '|' + transport + '|' + outcome, key -> newCounter(name, transport, outcome));
  }

  private Counter newCounter(String name, String transport, String outcome) {
    return Counter.builder(name)
        .description(
            name.endsWith("readings")
                ? "Readings stored durably and acknowledged to the device"
                : "Device messages acknowledged")
        .tag("transport", transport)
        .tag("outcome", outcome)
        .register(meters);
  }
}
