package org.vigil.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publish-to-alarm latency under sustained load. Background devices publish normal vital signs at a
 * fixed offered rate (open loop: the next message goes out on schedule whether or not the last was
 * acknowledged), and at a fixed interval a fresh probe patient's monitor publishes one set of
 * observations that scores NEWS2 7 or more. Each probe is timed from its {@code publish()} to its
 * high priority {@code event: active} on the live alarm stream, read by a system client, and to the
 * moment the FHIR API returns its heart rate (looked for every 20 ms from its PUBACK on).
 *
 * <p>Every probe patient is used once: a high alarm latches until acknowledged, so a second probe
 * of the same patient would only update the open alarm.
 */
public final class AlarmLatencyBenchmark {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What to run. */
  public record Settings(
      String host,
      int mqttPort,
      URI api,
      String streamToken,
      List<MqttIngestBenchmark.BenchDevice> background,
      List<Probe> probes,
      int readingsPerSecond,
      Duration probeInterval,
      Duration warmup,
      Duration measure,
      ResourceSampler.Gauges node) {}

  /** A probe patient and the monitor assigned to it. */
  public record Probe(String patientId, MqttIngestBenchmark.BenchDevice device) {}

  /** The figures of one run. */
  public record Result(
      int backgroundDevices,
      int readingsPerMessage,
      double seconds,
      double offeredReadingsPerSecond,
      double achievedReadingsPerSecond,
      long backgroundErrors,
      LatencyReport backgroundPublishToPuback,
      long probes,
      long probesAlarmed,
      long probesMissed,
      long probeErrors,
      long unexpectedAlarms,
      LatencyReport publishToAlarm,
      LatencyReport publishToFhir,
      long probesNotVisible,
      ResourceSampler.Usage server) {}

  /** Readings in each background message. */
  static final int READINGS_PER_MESSAGE = 10;

  /** How long after the last probe its alarm may still arrive before it counts as missed. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final Settings settings;
  private final Recorder alarmLatencies = new Recorder(3);
  private final Recorder fhirLatencies = new Recorder(3);
  private final AtomicLong measuredNotVisible = new AtomicLong();
  private final HttpClient fhir = HttpClient.newHttpClient();
  private final List<Thread> lookers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * How often a probe's reading is looked for in the FHIR API until it is there: the resolution of
   * the publish-to-visible figure, and few enough requests to stay far below the node's per-caller
   * rate limit.
   */
  static final Duration FHIR_POLL = Duration.ofMillis(20);

  private final Map<String, Long> probeSent = new ConcurrentHashMap<>();
  private final Map<String, Boolean> probeMeasured = new ConcurrentHashMap<>();
  private final AtomicLong alarmed = new AtomicLong();
  private final AtomicLong probeErrors = new AtomicLong();
  private final AtomicLong measuredSent = new AtomicLong();
  private final AtomicLong measuredAlarmed = new AtomicLong();
  private final AtomicLong measuredErrors = new AtomicLong();
  private final AtomicLong unexpected = new AtomicLong();

  public AlarmLatencyBenchmark(Settings settings) {
    this.settings = settings;
  }

  public Result run() throws InterruptedException, IOException {
    long total = settings.warmup().plus(settings.measure()).toNanos();
    long needed = total / settings.probeInterval().toNanos() + 1;
    if (settings.probes().size() < needed) {
      throw new IllegalArgumentException(
          "need " + needed + " probe patients, have " + settings.probes().size());
    }
    List<Mqtt5AsyncClient> probeClients = new ArrayList<>();
    for (Probe probe : settings.probes()) {
      probeClients.add(connect(probe.device()));
    }
    try (AlarmStreamClient stream =
            AlarmStreamClient.open(settings.api(), settings.streamToken(), this::onEvent);
        OpenLoopLoad load =
            OpenLoopLoad.start(
                settings.background().stream().map(this::connect).toList(),
                settings.background().stream()
                    .map(MqttIngestBenchmark.BenchDevice::deviceId)
                    .toList(),
                settings.readingsPerSecond(),
                READINGS_PER_MESSAGE);
        ResourceSampler sampler = new ResourceSampler(settings.node())) {
      long start = System.nanoTime();
      long measureFrom = start + settings.warmup().toNanos();
      long end = measureFrom + settings.measure().toNanos();
      OpenLoopLoad.Mark atMeasureStart = null;
      int next = 0;
      for (long due = start; due < end; due += settings.probeInterval().toNanos()) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (atMeasureStart == null && due >= measureFrom) {
          atMeasureStart = load.mark();
          sampler.reset();
          alarmLatencies.reset();
          fhirLatencies.reset();
        }
        Probe probe = settings.probes().get(next);
        probe(probeClients.get(next), probe, due >= measureFrom);
        next++;
      }
      TimeUnit.NANOSECONDS.sleep(Math.max(0, end - System.nanoTime()));
      OpenLoopLoad.Mark atMeasureEnd = load.mark();
      ResourceSampler.Usage usage = sampler.usage();
      double seconds = (atMeasureEnd.nanos() - atMeasureStart.nanos()) / 1e9;
      load.stop();
      // Alarms of the last probes may still be on their way.
      long graceEnd = System.nanoTime() + GRACE.toNanos();
      while (alarmed.get() + probeErrors.get() < next && System.nanoTime() < graceEnd) {
        Thread.sleep(50);
      }
      for (Thread looker : lookers) {
        looker.join(GRACE.toMillis());
      }
      long measuredMissed = measuredSent.get() - measuredAlarmed.get() - measuredErrors.get();
      for (Mqtt5AsyncClient client : probeClients) {
        client.disconnect();
      }
      return new Result(
          settings.background().size(),
          READINGS_PER_MESSAGE,
          Math.round(seconds * 10) / 10.0,
          Math.round(
              (atMeasureEnd.sent() - atMeasureStart.sent()) * READINGS_PER_MESSAGE / seconds),
          Math.round(
              (atMeasureEnd.acknowledged() - atMeasureStart.acknowledged())
                  * READINGS_PER_MESSAGE
                  / seconds),
          atMeasureEnd.errors() - atMeasureStart.errors(),
          LatencyReport.of(load.latencies()),
          measuredSent.get(),
          measuredAlarmed.get(),
          measuredMissed,
          measuredErrors.get(),
          unexpected.get(),
          LatencyReport.of(alarmLatencies.getIntervalHistogram()),
          LatencyReport.of(fhirLatencies.getIntervalHistogram()),
          measuredNotVisible.get(),
          usage);
    }
  }

  private void probe(Mqtt5AsyncClient client, Probe probe, boolean measured) {
    byte[] payload = probePayload(Instant.now());
    probeMeasured.put(probe.patientId(), measured);
    if (measured) {
      measuredSent.incrementAndGet();
    }
    long sentAt = System.nanoTime();
    probeSent.put(probe.patientId(), sentAt);
    client
        .publishWith()
        .topic("devices/" + probe.device().deviceId() + "/messages")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload)
        .send()
        .whenComplete((result, failure) -> {
          if (failure != null || result.getError().isPresent()) {
            // Not stored, so no alarm will come: not a latency, an error.
            if (probeSent.remove(probe.patientId()) != null) {
              probeErrors.incrementAndGet();
              if (measured) {
                measuredErrors.incrementAndGet();
              }
            }
          } else {
            lookers.add(
                Thread.ofVirtual()
                    .name("bench-fhir-" + probe.patientId())
                    .start(() -> lookInFhir(probe.patientId(), sentAt, measured)));
          }
        });
  }

  /**
   * Times the probe's reading from its publish until the FHIR API returns it (its heart rate, by
   * {@code _summary=count}), looking every {@link #FHIR_POLL}.
   */
  private void lookInFhir(String patientId, long sentAt, boolean measured) {
    HttpRequest request =
        HttpRequest.newBuilder(
                settings
                    .api()
                    .resolve(
                        "/fhir/Observation?patient="
                            + patientId
                            + "&code=http://loinc.org%7C8867-4&_summary=count"))
            .header("Authorization", "Bearer " + settings.streamToken())
            .header("Accept", "application/fhir+json")
            .timeout(Duration.ofSeconds(5))
            .build();
    long giveUp = sentAt + GRACE.toNanos();
    try {
      while (System.nanoTime() < giveUp) {
        HttpResponse<String> answer = fhir.send(request, HttpResponse.BodyHandlers.ofString());
        long now = System.nanoTime();
        if (answer.statusCode() == 200 && JSON.readTree(answer.body()).path("total").asLong() > 0) {
          if (measured) {
            fhirLatencies.recordValue(Math.max(0, now - sentAt));
          }
          return;
        }
        // 429 and the like: look again later, the reading is durable and will be there
        Thread.sleep(answer.statusCode() == 200 ? FHIR_POLL.toMillis() : 100);
      }
    } catch (IOException e) {
      // a lost look: counted below as not visible in time
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (measured) {
      measuredNotVisible.incrementAndGet();
    }
  }

  private void onEvent(AlarmStreamClient.Event event) {
    String patient = event.alarm().path("patientId").asString();
    if (!probeMeasured.containsKey(patient)) {
      // A background patient has normal vital signs: an alarm for one is a false alarm.
      if (event.name().equals("active")) {
        unexpected.incrementAndGet();
      }
      return;
    }
    if (!event.name().equals("active")
        || !event.alarm().path("priority").asString().equals("high")
        || !event.alarm().path("condition").asString().equals("news2")) {
      return;
    }
    Long sent = probeSent.remove(patient);
    if (sent == null) {
      return; // a later update of an alarm already counted (a repeat, an escalation)
    }
    alarmed.incrementAndGet();
    if (probeMeasured.get(patient)) {
      measuredAlarmed.incrementAndGet();
      alarmLatencies.recordValue(Math.max(0, event.arrivedNanos() - sent));
    }
  }

  private Mqtt5AsyncClient connect(MqttIngestBenchmark.BenchDevice device) {
    return device.connect(settings.host(), settings.mqttPort());
  }

  /**
   * RR 25 (3), SpO2 91 on scale 1 (3), air (0), systolic 90 (3), pulse 131 (3), alert (0),
   * temperature 39.1 °C (2): NEWS2 14, high clinical risk, a high priority alarm at once.
   */
  static byte[] probePayload(Instant at) {
    return ("{\"time\":\""
            + at
            + "\",\"measurements\":["
            + reading("9279-1", "25", "/min")
            + ","
            + reading("59408-5", "91", "%")
            + ","
            + reading("3151-8", "0", "L/min")
            + ","
            + reading("8480-6", "90", "mm[Hg]")
            + ","
            + reading("8867-4", "131", "/min")
            + ","
            + reading("67775-7", "0", "{ACVPU}")
            + ","
            + reading("8310-5", "39.1", "Cel")
            + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String reading(String code, String value, String unit) {
    return "{\"code\":\"" + code + "\",\"value\":" + value + ",\"unit\":\"" + unit + "\"}";
  }
}
