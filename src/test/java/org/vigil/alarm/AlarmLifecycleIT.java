package org.vigil.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * An alarm's life over the real HTTP server: a deteriorating patient's readings raise it, it shows
 * on the live stream of the nurses who look after the patient (and of no one else), a high one
 * stays until acknowledged even when the patient recovers, acknowledging is seen by every
 * subscriber, a cleared condition then resolves it, and every step is in its history and the audit
 * trail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlarmLifecycleIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired JdbcTemplate jdbc;

  private final HttpClient http = HttpClient.newHttpClient();
  private String nurse;
  private String otherNurse;
  private String doctor;
  private TestWard ward;
  private Instant clock = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);

  @BeforeAll
  void staff() {
    ward = new TestWard(patients, devices);
    users.save(
        new UserAccount("al-nurse", Role.NURSE, "al-nurse", Optional.empty(), true), "pw-nurse-1");
    users.setWards("al-nurse", Set.of("Ward 7B"));
    users.save(
        new UserAccount("al-other", Role.NURSE, "al-other", Optional.empty(), true), "pw-nurse-2");
    users.setWards("al-other", Set.of("Ward 2C"));
    // the other nurse looks after a patient of her own (people with none get no alarms at all)
    patients.save(
        new org.vigil.patient.Patient(
            "al-patient-2c",
            "MRN-al-patient-2c",
            "Nakamura",
            "Emi",
            Optional.empty(),
            "female",
            Optional.of("Ward 2C"),
            Optional.of("Bed 3"),
            Instant.now()));
    users.save(
        new UserAccount("al-doctor", Role.CLINICIAN, "al-doctor", Optional.empty(), true),
        "pw-doctor");
    users.setWards("al-doctor", Set.of("Ward 7B"));
    nurse = new WebSignIn(api().base()).accessToken("al-nurse", "pw-nurse-1", "openid user/*.rs");
    otherNurse =
        new WebSignIn(api().base()).accessToken("al-other", "pw-nurse-2", "openid user/*.rs");
    doctor = new WebSignIn(api().base()).accessToken("al-doctor", "pw-doctor", "openid user/*.rs");
  }

  /** A set of observations: respiration, SpO2, oxygen, systolic, pulse, ACVPU, temperature. */
  private void observe(
      String device,
      String token,
      double rr,
      double spo2,
      double oxygen,
      double systolic,
      double pulse,
      int acvpu,
      double temperature) {
    clock = clock.plusSeconds(1);
    String body =
        "{\"time\":\""
            + clock
            + "\",\"measurements\":["
            + m("9279-1", rr, "/min")
            + ","
            + m("59408-5", spo2, "%")
            + ","
            + m("3151-8", oxygen, "L/min")
            + ","
            + m("8480-6", systolic, "mm[Hg]")
            + ","
            + m("8867-4", pulse, "/min")
            + ","
            + m("67775-7", acvpu, "{ACVPU}")
            + ","
            + m("8310-5", temperature, "Cel")
            + "]}";
    HttpResponse<String> posted = api().postJson("/api/v1/ingest/" + device, token, body);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
  }

  private static String m(String code, double value, String unit) {
    return "{\"code\":\"" + code + "\",\"value\":" + value + ",\"unit\":\"" + unit + "\"}";
  }

  /** Server-sent events of one subscriber, parsed into (event name, data) as they come. */
  private record Event(String name, JsonNode data) {}

  private BlockingQueue<Event> subscribe(String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(api().base().resolve("/api/v1/alarms/stream"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<InputStream> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
            .get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    Thread.ofVirtual()
        .start(() -> {
          try (BufferedReader lines =
              new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            for (String line; (line = lines.readLine()) != null; ) {
              if (line.startsWith("event:")) {
                name = line.substring(6).trim();
              } else if (line.startsWith("data:") && name != null) {
                events.add(new Event(name, VigilApi.json(line.substring(5).trim())));
                name = null;
              }
            }
          } catch (Exception e) {
            // the stream ends with the test
          }
        });
    return events;
  }

  private static Event next(BlockingQueue<Event> events, String patient, String name)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      Event e = events.poll(200, TimeUnit.MILLISECONDS);
      if (e != null
          && e.name().equals(name)
          && e.data().path("patientId").asString().equals(patient)
          && e.data().path("condition").asString().equals("news2")) {
        return e;
      }
    }
    throw new AssertionError("no '" + name + "' event for " + patient + " within 15 s");
  }

  private JsonNode alarm(long id, String token) {
    HttpResponse<String> found = api().get("/api/v1/alarms/" + id, token);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    return VigilApi.json(found.body());
  }

  @Test
  void aHighAlarmLatchesUntilAcknowledgedThenResolvesWhenTheConditionHasCleared() throws Exception {
    String token = ward.device("al-monitor-1", "bedside-monitor", "al-patient-1");
    BlockingQueue<Event> nurseSees = subscribe(nurse);
    BlockingQueue<Event> doctorSees = subscribe(doctor);
    BlockingQueue<Event> otherSees = subscribe(otherNurse);

    // Septic: RR 25 (3), SpO2 94 (1), air, SBP 100 (2), pulse 125 (2), alert, 38.5 (1) = 9
    observe("al-monitor-1", token, 25, 94, 0, 100, 125, 0, 38.5);
    Event raised = next(nurseSees, "al-patient-1", "active");
    assertThat(raised.data().path("priority").asString()).isEqualTo("high");
    assertThat(raised.data().path("summary").asString()).startsWith("NEWS2 9 (high clinical risk)");
    long id = raised.data().path("id").asLong();
    next(doctorSees, "al-patient-1", "active");

    // Recovered: every parameter 0. The high alarm stays until someone acknowledges it.
    observe("al-monitor-1", token, 16, 97, 0, 120, 70, 0, 37.0);
    Thread.sleep(3_500); // longer than the 2 s hold-off the tests configure
    assertThat(alarm(id, nurse).path("alarm").path("status").asString()).isEqualTo("active");

    HttpResponse<String> acknowledged =
        api().postJson("/api/v1/alarms/" + id + "/acknowledge", nurse, "");
    assertThat(acknowledged.statusCode()).as(acknowledged.body()).isEqualTo(200);
    Event seenByDoctor = next(doctorSees, "al-patient-1", "acknowledged");
    assertThat(seenByDoctor.data().path("acknowledgedBy").asString()).isEqualTo("al-nurse");

    Event resolved = next(nurseSees, "al-patient-1", "resolved");
    assertThat(resolved.data().path("resolution").asString()).isEqualTo("the condition cleared");
    assertThat(resolved.data().path("resolvedBy").isNull()).isTrue();

    // Unacknowledged for longer than the escalation time (2 s in tests), it went up the chain;
    // once acknowledged it went no further.
    List<String> steps =
        alarm(id, doctor)
            .path("history")
            .valueStream()
            .map(e -> e.path("kind").asString())
            .toList();
    assertThat(steps.getFirst()).isEqualTo("raised");
    assertThat(steps).contains("escalated");
    assertThat(steps.subList(steps.indexOf("acknowledged"), steps.size()))
        .containsExactly("acknowledged", "resolved");
    assertThat(raised.data().path("escalatedTo").asString()).isEqualTo("ward nurses");
    assertThat(otherSees.stream().map(e -> e.data().path("patientId").asString()))
        .doesNotContain("al-patient-1");
    Integer audited =
        jdbc.queryForObject(
            "select count(*) from audit_event where what = ? and agent_id = 'al-nurse'",
            Integer.class,
            "acknowledge alarm " + id);
    assertThat(audited).isEqualTo(1);
  }

  @Test
  void aClinicianResolvesAnAlarmWithAReasonAndOnlyCarersAct() throws Exception {
    String token = ward.device("al-monitor-2", "bedside-monitor", "al-patient-2");
    BlockingQueue<Event> doctorSees = subscribe(doctor);
    // Pulse 135 (3) alone: a red score, medium priority
    observe("al-monitor-2", token, 16, 97, 0, 120, 135, 0, 37.0);
    Event raised = next(doctorSees, "al-patient-2", "active");
    assertThat(raised.data().path("priority").asString()).isEqualTo("medium");
    long id = raised.data().path("id").asLong();

    assertThat(api().postJson("/api/v1/alarms/" + id + "/acknowledge", otherNurse, "").statusCode())
        .isEqualTo(404);
    HttpResponse<String> noReason =
        api().postJson("/api/v1/alarms/" + id + "/resolve", doctor, "{}");
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("reason");

    HttpResponse<String> resolved =
        api()
            .postJson(
                "/api/v1/alarms/" + id + "/resolve",
                doctor,
                "{\"reason\":\"known atrial fibrillation, rate-controlled\"}");
    assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
    assertThat(VigilApi.json(resolved.body()).path("resolvedBy").asString()).isEqualTo("al-doctor");
    assertThat(api().postJson("/api/v1/alarms/" + id + "/acknowledge", nurse, "").statusCode())
        .isEqualTo(409);

    // A second red score later is a new alarm: the resolved one stays resolved.
    observe("al-monitor-2", token, 16, 97, 0, 120, 70, 0, 37.0);
    observe("al-monitor-2", token, 16, 97, 0, 120, 136, 0, 37.0);
    Event again = next(doctorSees, "al-patient-2", "active");
    assertThat(again.data().path("id").asLong()).isNotEqualTo(id);
  }

  @Test
  void anUnacknowledgedAlarmEscalatesStepByStepUnlessSnoozed() throws Exception {
    String token = ward.device("al-monitor-4", "bedside-monitor", "al-patient-4");
    BlockingQueue<Event> doctorSees = subscribe(doctor);
    observe("al-monitor-4", token, 26, 90, 0, 88, 132, 0, 39.2);
    Event raised = next(doctorSees, "al-patient-4", "active");
    long id = raised.data().path("id").asLong();
    assertThat(raised.data().path("escalation").asInt()).isZero();

    Event first = next(doctorSees, "al-patient-4", "active");
    assertThat(first.data().path("escalation").asInt()).isEqualTo(1);
    assertThat(first.data().path("escalatedTo").asString()).isEqualTo("charge nurse");

    HttpResponse<String> tooLong =
        api()
            .postJson(
                "/api/v1/alarms/" + id + "/snooze",
                nurse,
                "{\"reason\":\"at the bedside\",\"minutes\":600}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    HttpResponse<String> snoozed =
        api()
            .postJson(
                "/api/v1/alarms/" + id + "/snooze",
                nurse,
                "{\"reason\":\"at the bedside, starting fluids\",\"minutes\":5}");
    assertThat(snoozed.statusCode()).as(snoozed.body()).isEqualTo(200);
    assertThat(VigilApi.json(snoozed.body()).path("snoozedUntil").isNull()).isFalse();
    int escalationWhenSnoozed = VigilApi.json(snoozed.body()).path("escalation").asInt();
    Thread.sleep(3_000); // past another escalation time: a snoozed alarm stays where it was
    JsonNode now = alarm(id, nurse);
    assertThat(now.path("alarm").path("escalation").asInt()).isEqualTo(escalationWhenSnoozed);
    assertThat(now.path("history").valueStream().map(e -> e.path("kind").asString()))
        .contains("snoozed");
    Integer audited =
        jdbc.queryForObject(
            "select count(*) from audit_event where what like ? and detail = ?",
            Integer.class,
            "snooze alarm " + id + " until %",
            "at the bedside, starting fluids");
    assertThat(audited).isEqualTo(1);
  }

  @Test
  void theOpenAlarmListShowsOnlyTheCallersPatientsHighestFirst() throws Exception {
    String token = ward.device("al-monitor-3", "bedside-monitor", "al-patient-3");
    BlockingQueue<Event> nurseSees = subscribe(nurse);
    observe("al-monitor-3", token, 30, 90, 2, 85, 140, 2, 39.5);
    next(nurseSees, "al-patient-3", "active");

    JsonNode mine = VigilApi.json(api().get("/api/v1/alarms", nurse).body());
    assertThat(mine.valueStream().map(a -> a.path("patientId").asString()))
        .contains("al-patient-3");
    List<String> priorities = mine.valueStream().map(a -> a.path("priority").asString()).toList();
    assertThat(priorities.indexOf("high"))
        .isLessThanOrEqualTo(Math.max(0, priorities.indexOf("medium")));
    JsonNode theirs = VigilApi.json(api().get("/api/v1/alarms", otherNurse).body());
    assertThat(theirs.valueStream().map(a -> a.path("patientId").asString()))
        .doesNotContain("al-patient-3");
    assertThat(api().get("/api/v1/alarms?patient=al-patient-3", otherNurse).statusCode())
        .isEqualTo(403);
  }
}
