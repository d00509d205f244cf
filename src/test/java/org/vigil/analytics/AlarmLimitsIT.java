package org.vigil.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
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
 * Personal alarm limits over the real server: the defaults alarm on a fast heart rate, a COPD
 * patient's prescribed 88–92 % keeps a saturation of 89 % quiet that the default would alarm on,
 * and raising an athlete's limit above the current rate ends the alarm. A ward's own defaults apply
 * to its patients in place of Vigil's, set only by the ward's clinicians.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlarmLimitsIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired JdbcTemplate jdbc;

  private String doctor;
  private String nurse;
  private TestWard ward;
  private Instant clock = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);

  @BeforeAll
  void staff() {
    ward = new TestWard(patients, devices);
    users.save(
        new UserAccount("lim-doctor", Role.CLINICIAN, "lim-doctor", Optional.empty(), true),
        "pw-doctor");
    users.setWards("lim-doctor", Set.of("Ward 7B"));
    users.save(
        new UserAccount("lim-nurse", Role.NURSE, "lim-nurse", Optional.empty(), true), "pw-nurse");
    users.setWards("lim-nurse", Set.of("Ward 7B"));
    doctor = new WebSignIn(api().base()).accessToken("lim-doctor", "pw-doctor", "openid user/*.rs");
    nurse = new WebSignIn(api().base()).accessToken("lim-nurse", "pw-nurse", "openid user/*.rs");
  }

  private void send(String device, String token, String code, double value, String unit) {
    clock = clock.plusSeconds(1);
    HttpResponse<String> posted =
        api()
            .postJson(
                "/api/v1/ingest/" + device,
                token,
                "{\"time\":\""
                    + clock
                    + "\",\"measurements\":[{\"code\":\""
                    + code
                    + "\",\"value\":"
                    + value
                    + ",\"unit\":\""
                    + unit
                    + "\"}]}");
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
  }

  /** The patient's alarm for the condition once {@code until} holds (bounded wait), if any. */
  private Optional<JsonNode> alarm(String patient, String condition, Predicate<JsonNode> until)
      throws InterruptedException {
    return alarm(nurse, patient, condition, until);
  }

  private Optional<JsonNode> alarm(
      String reader, String patient, String condition, Predicate<JsonNode> until)
      throws InterruptedException {
    Optional<JsonNode> found = Optional.empty();
    for (int attempt = 0; attempt < 40; attempt++) {
      JsonNode alarms =
          VigilApi.json(api().get("/api/v1/alarms?patient=" + patient, reader).body());
      found =
          alarms
              .valueStream()
              .filter(a -> a.path("condition").asString().equals(condition))
              .findFirst();
      if (found.isPresent() && until.test(found.get())) {
        return found;
      }
      Thread.sleep(250);
    }
    return found;
  }

  @Test
  void aHeartRateAboveTheDefaultLimitAlarmsAndARaisedPersonalLimitEndsIt() throws Exception {
    String token = ward.device("lim-monitor-1", "bedside-monitor", "lim-athlete");
    send("lim-monitor-1", token, "8867-4", 128, "/min");
    JsonNode raised = alarm("lim-athlete", "limit:8867-4", a -> true).orElseThrow();
    assertThat(raised.path("priority").asString()).isEqualTo("medium");
    assertThat(raised.path("summary").asString())
        .isEqualTo("Heart rate 128 beats/minute above the default limit 120");

    HttpResponse<String> byNurse =
        api()
            .put(
                "/api/v1/patients/lim-athlete/alarm-limits/8867-4",
                nurse,
                "application/json",
                "{\"low\":35,\"high\":140}");
    assertThat(byNurse.statusCode()).isEqualTo(403);
    HttpResponse<String> set =
        api()
            .put(
                "/api/v1/patients/lim-athlete/alarm-limits/8867-4",
                doctor,
                "application/json",
                "{\"low\":35,\"high\":140,\"reason\":\"endurance athlete on beta-agonists\"}");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

    JsonNode resolved =
        alarm("lim-athlete", "limit:8867-4", a -> a.path("status").asString().equals("resolved"))
            .orElseThrow();
    assertThat(resolved.path("status").asString()).isEqualTo("resolved");
    JsonNode limits =
        VigilApi.json(api().get("/api/v1/patients/lim-athlete/alarm-limits", nurse).body());
    JsonNode heart =
        limits
            .valueStream()
            .filter(l -> l.path("code").asString().equals("8867-4"))
            .findFirst()
            .orElseThrow();
    assertThat(heart.path("high").asDouble()).isEqualTo(140);
    assertThat(heart.path("personal").asBoolean()).isTrue();
    Integer audited =
        jdbc.queryForObject(
            "select count(*) from audit_event where what = ? and agent_id = 'lim-doctor'",
            Integer.class,
            "set alarm limit 8867-4 35.0 to 140.0");
    assertThat(audited).isEqualTo(1);
  }

  @Test
  void aCopdPatientsPrescribedSaturationRangeReplacesTheDefault() throws Exception {
    String token = ward.device("lim-oximeter-1", "pulse-oximeter", "lim-copd");
    HttpResponse<String> set =
        api()
            .put(
                "/api/v1/patients/lim-copd/alarm-limits/59408-5",
                doctor,
                "application/json",
                "{\"low\":88,\"high\":92,\"reason\":\"COPD, target 88-92%\"}");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    send("lim-oximeter-1", token, "59408-5", 89, "%");
    Thread.sleep(2_500); // past the condition delay
    assertThat(alarm("lim-copd", "limit:59408-5", a -> false)).isEmpty();

    send("lim-oximeter-1", token, "59408-5", 95, "%");
    JsonNode high = alarm("lim-copd", "limit:59408-5", a -> true).orElseThrow();
    assertThat(high.path("summary").asString()).contains("above the patient's limit 92");
  }

  @Test
  void limitsAreCheckedBeforeTheyAreStored() {
    ward.patient("lim-check");
    assertThat(
            api()
                .put(
                    "/api/v1/patients/lim-check/alarm-limits/29463-7",
                    doctor,
                    "application/json",
                    "{\"low\":50}")
                .statusCode())
        .isEqualTo(400);
    HttpResponse<String> inverted =
        api()
            .put(
                "/api/v1/patients/lim-check/alarm-limits/8867-4",
                doctor,
                "application/json",
                "{\"low\":120,\"high\":60}");
    assertThat(inverted.statusCode()).isEqualTo(400);
    assertThat(inverted.body()).contains("below the high limit");
    assertThat(
            api()
                .put(
                    "/api/v1/patients/lim-check/alarm-limits/8867-4",
                    doctor,
                    "application/json",
                    "{}")
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void aWardsOwnDefaultLimitsApplyToItsPatientsAndOnlyItsCliniciansSetThem() throws Exception {
    String respiratory = "Respiratory 3";
    String path = "/api/v1/wards/Respiratory%203/alarm-limits";
    patients.save(
        new Patient(
            "lim-resp-patient",
            "MRN-lim-resp-patient",
            "Haldane",
            "Ruth",
            Optional.of(java.time.LocalDate.of(1939, 6, 30)),
            "female",
            Optional.of(respiratory),
            Optional.of("Bed 2"),
            Instant.now()));
    String token = ward.device("lim-resp-oximeter", "pulse-oximeter", "lim-resp-patient");
    users.save(
        new UserAccount(
            "lim-resp-doctor", Role.CLINICIAN, "lim-resp-doctor", Optional.empty(), true),
        "pw-resp-doctor");
    users.setWards("lim-resp-doctor", Set.of(respiratory));
    users.save(
        new UserAccount("lim-admin", Role.ADMIN, "lim-admin", Optional.empty(), true), "pw-admin");
    String respDoctor =
        new WebSignIn(api().base())
            .accessToken("lim-resp-doctor", "pw-resp-doctor", "openid user/*.rs");
    String admin =
        new WebSignIn(api().base()).accessToken("lim-admin", "pw-admin", "openid user/*.rs");

    String change = "{\"low\":85,\"reason\":\"respiratory ward: chronic hypoxaemia is usual\"}";
    assertThat(api().put(path + "/59408-5", doctor, "application/json", change).statusCode())
        .as("a clinician of another ward")
        .isEqualTo(403);
    assertThat(api().put(path + "/59408-5", nurse, "application/json", change).statusCode())
        .isEqualTo(403);
    assertThat(api().get(path, doctor).statusCode()).isEqualTo(403);
    HttpResponse<String> unknown =
        api()
            .put(
                "/api/v1/wards/No%20such%20ward/alarm-limits/59408-5",
                admin, "application/json", change);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no patient lies on");
    HttpResponse<String> backwards =
        api().put(path + "/8867-4", respDoctor, "application/json", "{\"low\":90,\"high\":60}");
    assertThat(backwards.statusCode()).isEqualTo(400);
    assertThat(backwards.body()).contains("must be below the high limit");

    HttpResponse<String> set = api().put(path + "/59408-5", respDoctor, "application/json", change);
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(VigilApi.json(set.body()).path("source").asString()).isEqualTo("ward");
    JsonNode wardLimits = VigilApi.json(api().get(path, respDoctor).body());
    assertThat(
            wardLimits
                .valueStream()
                .filter(l -> l.path("code").asString().equals("59408-5"))
                .findFirst()
                .orElseThrow()
                .path("low")
                .asDouble())
        .isEqualTo(85);
    assertThat(
            wardLimits
                .valueStream()
                .filter(l -> l.path("code").asString().equals("8867-4"))
                .findFirst()
                .orElseThrow()
                .path("source")
                .asString())
        .isEqualTo("default");

    // 87 %: below Vigil's 90, above the ward's 85 — quiet
    send("lim-resp-oximeter", token, "59408-5", 87, "%");
    Thread.sleep(1500); // past the condition delay (1 s in tests)
    assertThat(api().get("/api/v1/alarms?patient=lim-resp-patient", respDoctor).body())
        .doesNotContain("limit:59408-5");
    JsonNode patientLimits =
        VigilApi.json(
            api().get("/api/v1/patients/lim-resp-patient/alarm-limits", respDoctor).body());
    assertThat(
            patientLimits
                .valueStream()
                .filter(l -> l.path("code").asString().equals("59408-5"))
                .findFirst()
                .orElseThrow()
                .path("source")
                .asString())
        .isEqualTo("ward");
    // 83 %: below the ward's limit, and the alarm says whose limit it is
    send("lim-resp-oximeter", token, "59408-5", 83, "%");
    JsonNode low = alarm(respDoctor, "lim-resp-patient", "limit:59408-5", a -> true).orElseThrow();
    assertThat(low.path("summary").asString()).endsWith("below the ward's limit 85");

    // back to Vigil's default: the patient's limits say so
    assertThat(api().delete(path + "/59408-5", respDoctor).statusCode()).isEqualTo(204);
    patientLimits =
        VigilApi.json(
            api().get("/api/v1/patients/lim-resp-patient/alarm-limits", respDoctor).body());
    assertThat(
            patientLimits
                .valueStream()
                .filter(l -> l.path("code").asString().equals("59408-5"))
                .findFirst()
                .orElseThrow()
                .path("source")
                .asString())
        .isEqualTo("default");
    Integer audited =
        jdbc.queryForObject(
            "select count(*) from audit_event where what like 'set ward alarm limit 59408-5 85.0%' and outcome = 0",
            Integer.class);
    assertThat(audited).isEqualTo(1);
  }
}
