package org.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulator's side of the wire, against a small HTTP server that records what arrives and
 * answers as Vigil's ingest API does (202 with the count, 400 for what is not Vigil's JSON). What
 * Vigil itself makes of it is {@code SimulateIT}'s subject.
 */
class SimulationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private HttpServer server;
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();

  @BeforeEach
  void listen() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/ingest/",
        exchange -> {
          String device = exchange.getRequestURI().getPath().substring("/api/v1/ingest/".length());
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.computeIfAbsent(device, d -> new CopyOnWriteArrayList<>()).add(body);
          int status;
          String answer;
          if (device.endsWith("/events")) {
            byte[] stored = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, stored.length);
            exchange.getResponseBody().write(stored);
            exchange.close();
            return;
          }
          try {
            JsonNode measurements = JSON.readTree(body).path("measurements");
            boolean valid = measurements.isArray() && !measurements.isEmpty();
            for (JsonNode m : measurements) {
              valid &=
                  m.path("value").isNumber()
                      && !m.path("code").asString().equals("0000-0")
                      && !m.path("unit").asString().equals("furlongs");
            }
            status = valid ? 202 : 400;
            answer =
                valid
                    ? "{\"accepted\":" + measurements.size() + "}"
                    : "{\"issue\":[{\"code\":\"invalid\"}]}";
          } catch (RuntimeException e) {
            status = 400;
            answer = "{\"issue\":[{\"code\":\"structure\"}]}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static final String SCENARIO =
      """
      {"name": "faulty", "duration": "PT30M", "seed": 11,
       "intervals": {"heartRate": "PT10S", "oxygenSaturation": "PT10S", "respiratoryRate": "PT10S",
                     "systolic": "PT5M", "diastolic": "PT5M", "temperature": "PT1M"},
       "patients": [
         {"id": "p1", "devices": [
           {"kind": "bedside-monitor", "faults": {"duplicate": 0.2, "outOfOrder": 0.2, "garbage": 0.2}},
           {"kind": "temperature-patch", "faults": {"clockSkew": "PT-2M"}}]},
         {"id": "p2", "devices": [
           {"kind": "bedside-monitor",
            "faults": {"disconnects": [{"at": "PT10M", "duration": "PT5M"}]}},
           {"kind": "temperature-patch",
            "faults": {"disconnects": [{"at": "PT10M", "duration": "PT5M", "buffer": false}]}}]}
       ],
       "episodes": [{"type": "tachycardia", "patient": "p2", "onset": "PT20M", "duration": "PT5M", "ramp": "PT0S"}]}
      """;

  private static final List<CredentialsFile.Entry> CREDENTIALS =
      List.of(
          new CredentialsFile.Entry("mon-1", "t1", "p1", "bedside-monitor"),
          new CredentialsFile.Entry("temp-1", "t2", "p1", "temperature-patch"),
          new CredentialsFile.Entry("mon-2", "t3", "p2", "bedside-monitor"),
          new CredentialsFile.Entry("temp-2", "t4", "p2", null));

  private Summary play(Instant start) throws InterruptedException {
    Scenario scenario = new ScenarioReader().parse(SCENARIO, "faulty");
    try (Simulation simulation =
        Simulation.of(
            scenario,
            CREDENTIALS,
            Optional.empty(),
            // Small messages, so that each device sends many and every fault gets its chances.
            new Simulation.Settings(start, 900, Optional.empty(), Map.of(), 20, 8),
            Optional.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
            Optional.empty(),
            Optional.empty())) {
      return simulation.run(Duration.ofSeconds(20));
    }
  }

  private static List<JsonNode> readings(List<String> bodies) {
    List<JsonNode> readings = new ArrayList<>();
    for (String body : bodies) {
      try {
        // Garbage that parses has no time: only real readings carry one.
        JSON.readTree(body)
            .path("measurements")
            .forEach(m -> {
              if (m.has("time")) {
                readings.add(m);
              }
            });
      } catch (RuntimeException garbage) {
        // not JSON: counted elsewhere
      }
    }
    return readings;
  }

  @Test
  void aRunIsReproducibleAndEveryFaultShowsOnTheWire() throws Exception {
    Instant now = Instant.now();
    Instant start = Simulation.defaultStart(now, new ScenarioReader().parse(SCENARIO, "f"), 900);
    assertThat(start).isBefore(now.minus(Duration.ofMinutes(29)));

    Summary first = play(start);
    Map<String, List<String>> firstRun = Map.copyOf(received);
    received.clear();
    Summary second = play(start);

    // Same scenario, seed and speed: the same messages, byte for byte, in the same order.
    assertThat(received).isEqualTo(firstRun);
    assertThat(second.sentMessages()).isEqualTo(first.sentMessages());

    // mon-1: 30 min of HR, SpO2, RR every 10 s and BP every 5 min, nothing lost.
    int expected = 180 * 3 + 6 * 2;
    List<JsonNode> mon1 = readings(firstRun.get("mon-1"));
    assertThat(
            mon1.stream()
                .map(m -> m.path("time").asString() + m.path("code").asString())
                .distinct())
        .hasSize(expected);
    // duplicates: some message arrives twice; out of order: some message is older than the one
    // before
    List<String> bodies = firstRun.get("mon-1");
    boolean repeated = false;
    boolean older = false;
    Instant latest = Instant.MIN;
    for (int i = 0; i < bodies.size(); i++) {
      if (i > 0 && bodies.get(i).equals(bodies.get(i - 1))) {
        repeated = true;
      }
      List<JsonNode> message = readings(List.of(bodies.get(i)));
      if (!message.isEmpty()) {
        Instant firstTime = Instant.parse(message.getFirst().path("time").asString());
        older |= firstTime.isBefore(latest);
        Instant last = Instant.parse(message.getLast().path("time").asString());
        latest = last.isAfter(latest) ? last : latest;
      }
    }
    assertThat(repeated).as("a duplicated message").isTrue();
    assertThat(older).as("a message out of order").isTrue();
    assertThat(first.garbageSent()).isPositive();
    assertThat(first.garbageRefused()).isEqualTo(first.garbageSent());
    assertThat(first.garbageSent()).isGreaterThan(3);
    assertThat(first.refused().keySet()).isSubsetOf("HTTP 400 invalid", "HTTP 400 structure");
    assertThat(first.refusedMessages()).isEqualTo(first.garbageSent());
    assertThat(first.errors()).isEmpty();
    assertThat(first.clean()).isTrue();

    // No reading dated in the future; the skewed patch dates its readings 2 minutes early.
    for (List<String> device : firstRun.values()) {
      for (JsonNode m : readings(device)) {
        assertThat(Instant.parse(m.path("time").asString())).isBefore(Instant.now());
      }
    }
    assertThat(readings(firstRun.get("temp-1")).getFirst().path("time").asString())
        .isEqualTo(start.minus(Duration.ofMinutes(2)).toString());

    // mon-2 buffered through its outage: every reading arrives, those of the outage after it.
    List<JsonNode> mon2 = readings(firstRun.get("mon-2"));
    assertThat(mon2).hasSize(expected);
    // temp-2 did not buffer: its 5 minutes offline are lost, and counted.
    assertThat(readings(firstRun.get("temp-2"))).hasSize(30 - 5);
    assertThat(first.droppedOffline()).isEqualTo(5);

    // The tachycardia episode shows in p2's heart rate, and only during it.
    for (JsonNode m : mon2) {
      if (m.path("code").asString().equals("8867-4")) {
        Duration offset = Duration.between(start, Instant.parse(m.path("time").asString()));
        double hr = m.path("value").asDouble();
        if (offset.compareTo(Duration.ofMinutes(21)) >= 0
            && offset.compareTo(Duration.ofMinutes(25)) < 0) {
          assertThat(hr).as("heart rate at " + offset).isGreaterThan(130);
        } else if (offset.compareTo(Duration.ofMinutes(20)) < 0) {
          assertThat(hr).as("heart rate at " + offset).isBetween(45.0, 110.0);
        }
      }
    }
  }

  @Test
  void theGroundTruthDatesEveryEpisodeAndOutageInTheSimulatedClock() {
    Scenario scenario = new ScenarioReader().parse(SCENARIO, "faulty");
    Instant start = Instant.parse("2026-11-24T08:00:00Z");
    try (Simulation simulation =
        Simulation.of(
            scenario,
            CREDENTIALS,
            Optional.empty(),
            new Simulation.Settings(start, 60, Optional.of(5L), Map.of(), 1000, 8),
            Optional.of(URI.create("http://127.0.0.1:1")),
            Optional.empty(),
            Optional.empty())) {
      GroundTruth truth = simulation.groundTruth();
      assertThat(truth.seed()).isEqualTo(5);
      assertThat(truth.start()).isEqualTo("2026-11-24T08:00:00Z");
      assertThat(truth.end()).isEqualTo("2026-11-24T08:30:00Z");
      assertThat(truth.episodes())
          .singleElement()
          .satisfies(e -> {
            assertThat(e.type()).isEqualTo("tachycardia");
            assertThat(e.patientId()).isEqualTo("p2");
            assertThat(e.onset()).isEqualTo("2026-11-24T08:20:00Z");
            assertThat(e.end()).isEqualTo("2026-11-24T08:25:00Z");
          });
      assertThat(truth.devices())
          .filteredOn(d -> d.deviceId().equals("temp-2"))
          .singleElement()
          .satisfies(d ->
              assertThat(d.outages())
                  .containsExactly(
                      new GroundTruth.Outage(
                          "2026-11-24T08:10:00Z", "2026-11-24T08:15:00Z", false)));
      assertThat(truth.devices())
          .filteredOn(d -> d.deviceId().equals("temp-1"))
          .singleElement()
          .satisfies(d -> assertThat(d.clockSkew()).isEqualTo("PT-2M"));
    }
  }

  @Test
  void aDeviceWithoutCredentialsIsNamed() {
    Scenario scenario = new ScenarioReader().parse(SCENARIO, "faulty");
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            Simulation.of(
                scenario,
                CREDENTIALS.subList(0, 3),
                Optional.empty(),
                new Simulation.Settings(Instant.now(), 1, Optional.empty(), Map.of(), 1000, 8),
                Optional.of(URI.create("http://127.0.0.1:1")),
                Optional.empty(),
                Optional.empty()))
        .hasMessageStartingWith("the credentials file has no device for p2's temperature-patch");
  }

  @Test
  void aProbeOffThePatientIsSaidWithEventsAndItsSpO2IsArtefactMeanwhile() throws Exception {
    String scenario =
        """
        {"name": "loose-probe", "duration": "PT20M", "seed": 5,
         "intervals": {"heartRate": "PT10S", "oxygenSaturation": "PT10S", "respiratoryRate": "PT10S"},
         "patients": [{"id": "p1", "resting": {"oxygenSaturation": 97}, "devices": [
           {"kind": "bedside-monitor",
            "faults": {"probeOff": [{"at": "PT5M", "duration": "PT3M"}]}}]}]}
        """;
    Scenario played = new ScenarioReader().parse(scenario, "loose-probe");
    Instant start = Simulation.defaultStart(Instant.now(), played, 600);
    GroundTruth truth;
    try (Simulation simulation =
        Simulation.of(
            played,
            List.of(new CredentialsFile.Entry("mon-p", "t", "p1", "bedside-monitor")),
            Optional.empty(),
            new Simulation.Settings(start, 600, Optional.empty(), Map.of(), 20, 8),
            Optional.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
            Optional.empty(),
            Optional.empty())) {
      truth = simulation.groundTruth();
      Summary summary = simulation.run(Duration.ofSeconds(20));
      assertThat(summary.clean()).isTrue();
    }
    Instant off = start.plus(Duration.ofMinutes(5));
    Instant on = start.plus(Duration.ofMinutes(8));
    List<JsonNode> events = received.get("mon-p/events").stream().map(JSON::readTree).toList();
    assertThat(events)
        .extracting(e -> e.path("type").asString())
        .containsExactly("probe-off", "probe-on");
    assertThat(events.get(0).path("time").asString()).isEqualTo(off.toString());
    assertThat(Instant.parse(events.get(1).path("time").asString()))
        .isBetween(on, on.plusSeconds(10));
    for (JsonNode m : readings(received.get("mon-p"))) {
      if (!m.path("code").asString().equals("59408-5")) {
        continue;
      }
      Instant at = Instant.parse(m.path("time").asString());
      double value = m.path("value").asDouble();
      if (!at.isBefore(off) && at.isBefore(on)) {
        assertThat(value).as("a loose probe's SpO2 at " + at).isBetween(65.0, 85.0);
      } else {
        assertThat(value).as("the patient's SpO2 at " + at).isGreaterThan(88.0);
      }
    }
    assertThat(truth.devices().getFirst().probeOffs())
        .containsExactly(new GroundTruth.ProbeOff(off.toString(), on.toString()));

    // only a device with an SpO2 probe has one to come off
    String patch = scenario.replace("bedside-monitor\",", "temperature-patch\",");
    assertThatThrownBy(() -> new ScenarioReader().parse(patch, "patch"))
        .hasMessageContaining("probeOff: only a device with an SpO2 probe");
  }
}
