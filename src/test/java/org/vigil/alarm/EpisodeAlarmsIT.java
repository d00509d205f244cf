package org.vigil.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilProcess;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7's scenario test: {@code ./vigil simulate}, a process of its own, plays 90 minutes of a
 * ward at 360× over HTTP and MQTT with one patient of each deterioration episode and one who stays
 * well. Scored against the run's ground truth: every episode raises the alarm its type calls for
 * (no sooner than its onset), the well patient none; the acknowledged alarm stops escalating, the
 * one nobody acknowledges climbs the chain at the configured time (2 s in tests), and each episode
 * that ends before the run does resolves its alarm once the hold-off has passed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EpisodeAlarmsIT extends VigilServerTest {

  private static final double SPEED = 360;
  // VigilServerTest's settings
  private static final Duration ESCALATE_AFTER = Duration.ofSeconds(2);
  private static final Duration CLEAR_HOLD_OFF = Duration.ofSeconds(2);

  /** The alarm each episode type must raise: condition and priority. */
  private record Expected(String condition, String priority) {}

  private static final Map<String, List<Expected>> EXPECTED =
      Map.of(
          // NEWS2 7+ (fast breathing, low pressure, fever, fast heart): emergency response
          "sepsis", List.of(new Expected("news2", "high")),
          "respiratory-failure",
              List.of(new Expected("news2", "high"), new Expected("limit:59408-5", "medium")),
          "hypotension", List.of(new Expected("limit:8480-6", "medium")),
          "bradycardia",
              List.of(new Expected("limit:8867-4", "medium"), new Expected("news2", "medium")),
          "tachycardia",
              List.of(new Expected("limit:8867-4", "medium"), new Expected("news2", "medium")),
          "hypoglycaemia", List.of(new Expected("limit:2339-0", "medium")));

  private static final String SCENARIO =
      """
      {"name": "deteriorating-ward", "duration": "PT90M", "seed": 7007,
       "intervals": {"heartRate": "PT10S", "oxygenSaturation": "PT10S", "respiratoryRate": "PT10S",
                     "systolic": "PT1M", "diastolic": "PT1M", "glucose": "PT1M"},
       "patients": [
         {"id": "ep-sepsis",
          "resting": {"heartRate": 72, "respiratoryRate": 14, "systolic": 128, "temperature": 36.8},
          "devices": [{"kind": "bedside-monitor"}, {"kind": "temperature-patch"}]},
         {"id": "ep-respiratory",
          "resting": {"heartRate": 80, "oxygenSaturation": 97, "respiratoryRate": 15},
          "devices": [{"kind": "bedside-monitor", "transport": "mqtt"}]},
         {"id": "ep-tachy", "resting": {"heartRate": 70},
          "devices": [{"kind": "bedside-monitor"}]},
         {"id": "ep-brady", "resting": {"heartRate": 70},
          "devices": [{"kind": "bedside-monitor", "transport": "mqtt"}]},
         {"id": "ep-hypotension", "resting": {"heartRate": 75, "systolic": 125},
          "devices": [{"kind": "bedside-monitor"}]},
         {"id": "ep-hypoglycaemia", "resting": {"heartRate": 75, "glucose": 100},
          "devices": [{"kind": "bedside-monitor"}, {"kind": "glucose-monitor"}]},
         {"id": "ep-well", "resting": {"heartRate": 75, "respiratoryRate": 15, "systolic": 125},
          "devices": [{"kind": "bedside-monitor"}]}
       ],
       "episodes": [
         {"type": "sepsis", "patient": "ep-sepsis", "onset": "PT10M", "duration": "PT80M",
          "ramp": "PT5M", "severity": 1.2},
         {"type": "respiratory-failure", "patient": "ep-respiratory", "onset": "PT10M",
          "duration": "PT80M", "ramp": "PT5M"},
         {"type": "tachycardia", "patient": "ep-tachy", "onset": "PT10M", "duration": "PT30M",
          "ramp": "PT2M"},
         {"type": "bradycardia", "patient": "ep-brady", "onset": "PT20M", "duration": "PT60M",
          "ramp": "PT2M"},
         {"type": "hypotension", "patient": "ep-hypotension", "onset": "PT20M", "duration": "PT60M",
          "ramp": "PT5M", "severity": 1.3},
         {"type": "hypoglycaemia", "patient": "ep-hypoglycaemia", "onset": "PT20M",
          "duration": "PT60M", "ramp": "PT5M"}
       ]}
      """;

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;

  private Path dir;
  private String nurse;

  @BeforeAll
  void registerTheWard() throws Exception {
    dir = Files.createTempDirectory("vigil-episode-alarms-it");
    TestWard ward = new TestWard(patients, devices);
    List<String> entries = new ArrayList<>();
    for (String[] d :
        List.of(
            new String[] {"ep-mon-sepsis", "bedside-monitor", "ep-sepsis"},
            new String[] {"ep-temp-sepsis", "temperature-patch", "ep-sepsis"},
            new String[] {"ep-mon-respiratory", "bedside-monitor", "ep-respiratory"},
            new String[] {"ep-mon-tachy", "bedside-monitor", "ep-tachy"},
            new String[] {"ep-mon-brady", "bedside-monitor", "ep-brady"},
            new String[] {"ep-mon-hypotension", "bedside-monitor", "ep-hypotension"},
            new String[] {"ep-mon-hypoglycaemia", "bedside-monitor", "ep-hypoglycaemia"},
            new String[] {"ep-cgm-hypoglycaemia", "glucose-monitor", "ep-hypoglycaemia"},
            new String[] {"ep-mon-well", "bedside-monitor", "ep-well"})) {
      entries.add(
          "{\"deviceId\": \"%s\", \"token\": \"%s\", \"patientId\": \"%s\", \"type\": \"%s\"}"
              .formatted(d[0], ward.device(d[0], d[1], d[2]), d[2], d[1]));
    }
    Files.writeString(
        dir.resolve("credentials.json"), "{\"devices\": [" + String.join(",\n", entries) + "]}");
    Files.writeString(dir.resolve("ward.json"), SCENARIO);
    users.save(
        new UserAccount("ep-nurse", Role.NURSE, "ep-nurse", Optional.empty(), true), "pw-ep-nurse");
    users.setWards("ep-nurse", Set.of("Ward 7B"));
    nurse = new WebSignIn(api().base()).accessToken("ep-nurse", "pw-ep-nurse", "openid user/*.rs");
  }

  @Test
  void everyEpisodeRaisesItsAlarmWhichEscalatesUnlessAcknowledgedAndResolvesWhenItEnds()
      throws Exception {
    Path truthFile = dir.resolve("ground-truth.json");
    Instant launched = Instant.now();
    CompletableFuture<VigilProcess.Result> simulation =
        CompletableFuture.supplyAsync(() ->
            VigilProcess.run(
                Duration.ofSeconds(90),
                "simulate",
                dir.resolve("ward.json").toString(),
                "--credentials",
                dir.resolve("credentials.json").toString(),
                "--target",
                "http://127.0.0.1:" + port,
                "--mqtt",
                "tcp://127.0.0.1:" + MQTT_PORT,
                "--speed",
                String.valueOf(SPEED),
                "--ground-truth",
                truthFile.toString()));

    // While the ward plays, the nurse watches the open alarms (one request for all of them) and
    // acknowledges the septic patient's as soon as it sounds; nobody answers the other patients.
    JsonNode acknowledged = null;
    while (!simulation.isDone()) {
      if (acknowledged == null) {
        Optional<JsonNode> septic = openAlarm("ep-sepsis", "news2");
        if (septic.isPresent()) {
          HttpResponse<String> ack =
              api()
                  .postJson(
                      "/api/v1/alarms/" + septic.get().path("id").asLong() + "/acknowledge",
                      nurse,
                      "");
          assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
          acknowledged = VigilApi.json(ack.body());
        }
      }
      Thread.sleep(200);
    }
    VigilProcess.Result run = simulation.get(1, TimeUnit.SECONDS);
    System.out.print(run.stdout());
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(acknowledged).as("the septic patient's alarm sounded during the run").isNotNull();

    // Every episode of the ground truth raised the alarm its type calls for, on its patient, and
    // not before its onset: the simulated clock never runs ahead of `speed` × the wall clock.
    JsonNode truth = VigilApi.json(Files.readString(truthFile));
    Instant start = Instant.parse(truth.path("start").asString());
    assertThat(truth.path("episodes")).hasSize(6);
    Map<String, JsonNode> raisedByPatient = new HashMap<>();
    for (JsonNode episode : truth.path("episodes")) {
      String patient = episode.path("patientId").asString();
      Instant onset = Instant.parse(episode.path("onset").asString());
      Instant notBefore = launched.plus(wall(Duration.between(start, onset)));
      List<JsonNode> theirs = alarmsOf(patient);
      for (Expected expected : EXPECTED.get(episode.path("type").asString())) {
        JsonNode alarm =
            theirs.stream()
                .filter(a -> a.path("condition").asString().equals(expected.condition()))
                .findFirst()
                .orElseThrow(() ->
                    new AssertionError(
                        episode.path("id").asString() + " raised no " + expected + ": " + theirs));
        assertThat(alarm.path("priority").asString())
            .as(episode.path("id").asString() + " " + expected.condition())
            .isEqualTo(expected.priority());
        assertThat(Instant.parse(alarm.path("raisedAt").asString()))
            .as(episode.path("id").asString() + " raised after its onset")
            .isAfterOrEqualTo(notBefore);
        raisedByPatient.putIfAbsent(patient, alarm);
      }
    }
    assertThat(raisedByPatient.keySet())
        .containsExactlyInAnyOrder(
            "ep-sepsis",
            "ep-respiratory",
            "ep-tachy",
            "ep-brady",
            "ep-hypotension",
            "ep-hypoglycaemia");
    // The patient without an episode raised nothing clinical.
    assertThat(alarmsOf("ep-well"))
        .filteredOn(a -> a.path("kind").asString().equals("clinical"))
        .isEmpty();

    // Acknowledged: it stays open (the patient is still septic) but climbs no further, however
    // long past the escalation time.
    long septicId = acknowledged.path("id").asLong();
    Instant ackAt = Instant.parse(acknowledged.path("acknowledgedAt").asString());
    sleepUntil(ackAt.plus(ESCALATE_AFTER.multipliedBy(2)).plusMillis(500));
    JsonNode septic = detail(septicId);
    assertThat(septic.path("alarm").path("status").asString()).isEqualTo("acknowledged");
    assertThat(septic.path("alarm").path("acknowledgedBy").asString()).isEqualTo("ep-nurse");
    assertThat(septic.path("alarm").path("escalation").asInt())
        .isEqualTo(acknowledged.path("escalation").asInt());
    List<String> septicSteps = kinds(septic);
    assertThat(septicSteps.getFirst()).isEqualTo("raised");
    assertThat(septicSteps.subList(septicSteps.indexOf("acknowledged"), septicSteps.size()))
        .doesNotContain("escalated");

    // Unacknowledged: one step up the chain per escalation time, from when it was raised.
    JsonNode failing = openAlarm("ep-respiratory", "news2").orElseThrow();
    Instant raisedAt = Instant.parse(failing.path("raisedAt").asString());
    JsonNode failed = awaitEscalation(failing.path("id").asLong(), 2);
    assertThat(failed.path("alarm").path("status").asString()).isEqualTo("active");
    assertThat(failed.path("alarm").path("escalation").asInt()).isEqualTo(2);
    assertThat(failed.path("alarm").path("escalatedTo").asString()).isEqualTo("physician on call");
    List<Instant> escalations = new ArrayList<>();
    for (JsonNode e : failed.path("history")) {
      if (e.path("kind").asString().equals("escalated")) {
        escalations.add(Instant.parse(e.path("at").asString()));
      }
    }
    assertThat(escalations).hasSize(2);
    // At the configured time: not before it, and within a few checks (every 0.5 s, on a shared
    // scheduler) after it.
    assertThat(escalations.get(0))
        .isAfterOrEqualTo(raisedAt.plus(ESCALATE_AFTER))
        .isBefore(raisedAt.plus(ESCALATE_AFTER).plusSeconds(4));
    assertThat(escalations.get(1))
        .isAfterOrEqualTo(escalations.get(0).plus(ESCALATE_AFTER))
        .isBefore(escalations.get(0).plus(ESCALATE_AFTER).plusSeconds(4));

    // The episodes that ended before the run did (the tachycardia 40 simulated minutes in, the
    // bradycardia, hypotension and hypoglycaemia 10 minutes before the end): each limit alarm
    // resolved by itself, no sooner than the hold-off after its episode's end.
    Instant runEnd = Instant.parse(truth.path("end").asString());
    List<String> resolvedEpisodes = new ArrayList<>();
    for (JsonNode episode : truth.path("episodes")) {
      Instant ended = Instant.parse(episode.path("end").asString());
      if (!ended.isBefore(runEnd)) {
        continue;
      }
      Instant resolvableFrom =
          launched.plus(wall(Duration.between(start, ended))).plus(CLEAR_HOLD_OFF);
      for (Expected expected : EXPECTED.get(episode.path("type").asString())) {
        if (!expected.condition().startsWith("limit:")) {
          continue; // NEWS2 without consciousness and oxygen is incomplete and never clears
        }
        JsonNode resolved = awaitResolved(episode.path("patientId").asString(), expected);
        assertThat(resolved.path("resolution").asString()).isEqualTo("the condition cleared");
        assertThat(resolved.path("resolvedBy").isNull()).isTrue();
        assertThat(Instant.parse(resolved.path("resolvedAt").asString()))
            .as(episode.path("id").asString() + " resolved after its end and the hold-off")
            .isAfterOrEqualTo(resolvableFrom);
        List<String> steps = kinds(detail(resolved.path("id").asLong()));
        assertThat(steps.getFirst()).isEqualTo("raised");
        assertThat(steps.getLast()).isEqualTo("resolved");
        assertThat(steps).doesNotContain("acknowledged");
        resolvedEpisodes.add(episode.path("type").asString());
      }
    }
    assertThat(resolvedEpisodes)
        .containsExactlyInAnyOrder("tachycardia", "bradycardia", "hypotension", "hypoglycaemia");
  }

  /** How long a stretch of the simulated clock takes on the wall clock, at the most. */
  private static Duration wall(Duration simulated) {
    return Duration.ofMillis((long) (simulated.toMillis() / SPEED));
  }

  /** The patient's open alarm for the condition, from the one list of all open alarms. */
  private Optional<JsonNode> openAlarm(String patient, String condition) {
    HttpResponse<String> open = api().get("/api/v1/alarms", nurse);
    assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
    return VigilApi.json(open.body())
        .valueStream()
        .filter(a ->
            a.path("patientId").asString().equals(patient)
                && a.path("condition").asString().equals(condition))
        .findFirst();
  }

  /** The patient's alarms, open and past. */
  private List<JsonNode> alarmsOf(String patient) {
    HttpResponse<String> found = api().get("/api/v1/alarms?patient=" + patient, nurse);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    return VigilApi.json(found.body()).valueStream().toList();
  }

  private JsonNode detail(long id) {
    HttpResponse<String> found = api().get("/api/v1/alarms/" + id, nurse);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    return VigilApi.json(found.body());
  }

  private static List<String> kinds(JsonNode detail) {
    return detail.path("history").valueStream().map(e -> e.path("kind").asString()).toList();
  }

  private JsonNode awaitResolved(String patient, Expected expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> found =
          alarmsOf(patient).stream()
              .filter(a -> a.path("condition").asString().equals(expected.condition()))
              .findFirst();
      if (found.isPresent() && found.get().path("status").asString().equals("resolved")) {
        return found.get();
      }
      Thread.sleep(250);
    }
    return fail("the " + expected.condition() + " alarm of " + patient + " did not resolve");
  }

  /** The alarm once it has reached the escalation step, waiting a bounded while. */
  private JsonNode awaitEscalation(long id, int step) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode alarm = detail(id);
      if (alarm.path("alarm").path("escalation").asInt() >= step) {
        return alarm;
      }
      Thread.sleep(250);
    }
    return fail("alarm " + id + " did not reach escalation step " + step + " within 15 s");
  }

  private static void sleepUntil(Instant when) throws InterruptedException {
    long millis = Duration.between(Instant.now(), when).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }
}
