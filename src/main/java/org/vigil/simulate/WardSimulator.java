package org.vigil.simulate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays a ward of devices against a Vigil over its HTTP ingest API, as real devices would: one
 * message per device per second, each with that second's readings, authenticated with the device's
 * own token. It never calls Vigil's code directly, so it can drive any Vigil, local or remote.
 */
public final class WardSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WardSimulator.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final URI target;
  private final List<SimulatedDevice> devices;
  private final Map<String, Physiology> patients = new HashMap<>();
  private final Clock clock;
  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http;
  private final ScheduledExecutorService ticker;
  private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  /**
   * @param target the Vigil's base URL, e.g. {@code http://localhost:8080}
   * @param devices the devices to play
   * @param seed makes every patient's physiology reproducible
   */
  public WardSimulator(URI target, List<SimulatedDevice> devices, long seed, Clock clock) {
    this.target = target;
    this.devices = List.copyOf(devices);
    this.clock = clock;
    for (SimulatedDevice device : devices) {
      patients.computeIfAbsent(
          device.patientId(), id -> new Physiology(seed ^ (id.hashCode() * 0x9E3779B97F4A7C15L)));
    }
    this.http =
        HttpClient.newBuilder()
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ward-simulator").daemon().factory());
  }

  /** Starts sending, one message per device per second, until closed. */
  public void start() {
    ticker.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
  }

  /** Readings Vigil accepted, messages that failed, and ticks skipped for a slow answer. */
  public record Stats(long acceptedReadings, long failedMessages, long skippedMessages) {}

  public Stats stats() {
    return new Stats(accepted.get(), failed.get(), skipped.get());
  }

  void tick() {
    try {
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      Map<String, Physiology.Vitals> vitals = new HashMap<>();
      patients.forEach((id, physiology) -> vitals.put(id, physiology.next()));
      for (SimulatedDevice device : devices) {
        send(device, payload(device, vitals.get(device.patientId()), now));
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log and carry on.
      log.warn("Simulator tick failed: {}", e.toString());
    }
  }

  private String payload(SimulatedDevice device, Physiology.Vitals v, Instant time) {
    ObjectNode message = json.createObjectNode();
    message.put("time", time.toString());
    ArrayNode measurements = message.putArray("measurements");
    switch (device.kind()) {
      case BEDSIDE_MONITOR -> {
        add(measurements, "8867-4", v.heartRate(), "/min");
        add(measurements, "59408-5", v.oxygenSaturation(), "%");
        add(measurements, "9279-1", v.respiratoryRate(), "/min");
        add(measurements, "8480-6", v.systolic(), "mm[Hg]");
        add(measurements, "8462-4", v.diastolic(), "mm[Hg]");
      }
      case TEMPERATURE_PATCH -> add(measurements, "8310-5", v.temperature(), "Cel");
    }
    return json.writeValueAsString(message);
  }

  private static void add(ArrayNode measurements, String code, double value, String unit) {
    ObjectNode m = measurements.addObject();
    m.put("code", code);
    if (value == Math.rint(value)) {
      m.put("value", (long) value);
    } else {
      m.put("value", value);
    }
    m.put("unit", unit);
  }

  private void send(SimulatedDevice device, String body) {
    if (inFlight.putIfAbsent(device.deviceId(), Boolean.TRUE) != null) {
      skipped.incrementAndGet();
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(target.resolve("/api/v1/ingest/" + device.deviceId()))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + device.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete((response, error) -> {
          inFlight.remove(device.deviceId());
          if (error == null && response.statusCode() == 202) {
            accepted.addAndGet(readingsIn(response.body()));
          } else {
            long failures = failed.incrementAndGet();
            if (failures == 1 || failures % 100 == 0) {
              log.warn(
                  "Simulated device {} could not deliver ({} failures so far): {}",
                  device.deviceId(),
                  failures,
                  error != null ? error.toString() : "HTTP " + response.statusCode());
            }
          }
        });
  }

  private long readingsIn(String receipt) {
    try {
      return json.readTree(receipt).path("accepted").asLong(0);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    http.close();
  }
}
