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
 * and raising an athlete's limit above the current rate ends the alarm.
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
    Optional<JsonNode> found = Optional.empty();
    for (int attempt = 0; attempt < 40; attempt++) {
      JsonNode alarms = VigilApi.json(api().get("/api/v1/alarms?patient=" + patient, nurse).body());
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
}
