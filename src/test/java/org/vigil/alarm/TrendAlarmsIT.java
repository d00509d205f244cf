package org.vigil.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.vigil.testsupport.VigilServerTest;
import tools.jackson.databind.JsonNode;

/**
 * The trend detectors over the real HTTP server: a bedside monitor's heart rate, one reading every
 * 30 seconds (timestamped over the past hours, as a ward replayed), ramping up by 1 /min a minute
 * from a steady 72 raises {@code trend-heart-rate-rising} (low priority, labelled a heuristic) long
 * before it would reach the default limit of 120 — the limit alarm never sounds — while another
 * patient's noisy but stable heart rate, with probe-off zeros among it, raises nothing. That
 * patient's SpO2 falls at the end, on the same partition, so its {@code trend-spo2-falling} alarm
 * shows that every heart rate reading before it has been judged. A third patient's complete NEWS2
 * going from 0 to 3 in 20 minutes raises the medium {@code trend-news2-rising}, though 3 is below
 * every NEWS2 threshold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrendAlarmsIT extends VigilServerTest {

  private static final Duration EVERY = Duration.ofSeconds(30);
  private static final Pattern LEVEL =
      Pattern.compile(": (\\d+) /min against .* baseline of (\\d+)");

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;

  private TestWard ward;
  private String nurse;
  private final Instant start =
      Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);

  @BeforeAll
  void staff() {
    ward = new TestWard(patients, devices);
    users.save(
        new UserAccount("tr-nurse", Role.NURSE, "tr-nurse", Optional.empty(), true), "pw-nurse-tr");
    users.setWards("tr-nurse", Set.of("Ward 7B"));
    nurse =
        new org.vigil.testsupport.WebSignIn(api().base())
            .accessToken("tr-nurse", "pw-nurse-tr", "openid user/*.rs");
  }

  /** Sends readings {@code 0..n-1} of each code, one every 30 s from the start, 20 per message. */
  private void send(String device, String token, int n, Vital... vitals) {
    List<String> measurements = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant at = start.plus(EVERY.multipliedBy(i));
      for (Vital v : vitals) {
        measurements.add(
            "{\"code\":\""
                + v.code()
                + "\",\"value\":"
                + Math.round(v.value().applyAsDouble(i))
                + ",\"unit\":\""
                + v.unit()
                + "\",\"time\":\""
                + at
                + "\"}");
      }
      if (measurements.size() >= 20 * vitals.length || i == n - 1) {
        HttpResponse<String> posted =
            api()
                .postJson(
                    "/api/v1/ingest/" + device,
                    token,
                    "{\"measurements\":[" + String.join(",", measurements) + "]}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        measurements.clear();
      }
    }
  }

  private record Vital(String code, String unit, IntToDoubleFunction value) {}

  private List<JsonNode> alarmsOf(String patient) {
    HttpResponse<String> found = api().get("/api/v1/alarms?patient=" + patient, nurse);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    List<JsonNode> alarms = new ArrayList<>();
    VigilApi.json(found.body()).forEach(alarms::add);
    return alarms;
  }

  /** The patient's alarm for the condition, waiting for it at most 20 s. */
  private JsonNode awaitAlarm(String patient, String condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode alarm : alarmsOf(patient)) {
        if (alarm.path("condition").asString().equals(condition)) {
          return alarm;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no " + condition + " alarm for " + patient + " within 20 s");
  }

  private static List<String> conditions(List<JsonNode> alarms) {
    return alarms.stream().map(a -> a.path("condition").asString()).toList();
  }

  @Test
  void aSustainedHeartRateRampRaisesTheTrendAlarmLongBeforeTheLimitWould() throws Exception {
    String token = ward.device("tr-monitor-ramp", "bedside-monitor", "tr-ramp");
    Random noise = new Random(42);
    int rampFrom = 90; // 45 minutes of a steady 72 ± 2, then +1 /min a minute for 35 minutes
    send(
        "tr-monitor-ramp",
        token,
        160,
        new Vital(
            "8867-4",
            "/min",
            i -> 72 + Math.max(0, i - rampFrom) * 0.5 + 2 * noise.nextGaussian()));

    JsonNode trend = awaitAlarm("tr-ramp", "trend-heart-rate-rising");
    assertThat(trend.path("priority").asString()).isEqualTo("low");
    assertThat(trend.path("kind").asString()).isEqualTo("clinical");
    String summary = trend.path("summary").asString();
    assertThat(summary).startsWith("Heart rate rising: ").contains("heuristic trend");
    Matcher level = LEVEL.matcher(summary);
    assertThat(level.find()).as(summary).isTrue();
    int at = Integer.parseInt(level.group(1));
    int baseline = Integer.parseInt(level.group(2));
    // detected some 20 minutes into the ramp (94 /min with this seed, 22 minutes; the unit test's
    // noise-free ramp takes 21), some 25 /min short of the limit; the baseline has followed the
    // ramp's first minutes a little
    System.out.println("TrendAlarmsIT: " + summary);
    assertThat(baseline).isBetween(70, 78);
    assertThat(at).isBetween(84, 100);
    // the ramp stops at 107 /min: at its pace the limit (above 120) is 13 minutes further on
    assertThat(conditions(alarmsOf("tr-ramp"))).doesNotContain("limit:8867-4");
    assertThat(api().get("/api/v1/alarms", nurse).body().contains("\"trend-heart-rate-rising\""))
        .isTrue();
  }

  @Test
  void noiseAroundAStableBaselineRaisesNoTrend() throws Exception {
    String token = ward.device("tr-monitor-steady", "bedside-monitor", "tr-steady");
    Random pulse = new Random(7);
    Random saturation = new Random(8);
    int dropFrom = 140; // 70 minutes of both steady; then SpO2 falls to 92 % for 10 minutes
    send(
        "tr-monitor-steady",
        token,
        160,
        // after the warm-up every other heart rate is a probe-off 0: implausible, so kept out of
        // the per-minute means (counted, they would make them 38 — a falling trend)
        new Vital("8867-4", "/min", i -> i >= 80 && i % 2 == 1 ? 0 : 76 + 3 * pulse.nextGaussian()),
        new Vital(
            "59408-5",
            "%",
            i ->
                i < dropFrom
                    ? 97 + (saturation.nextInt(5) == 0 ? saturation.nextInt(3) - 1 : 0)
                    : 92));

    JsonNode spo2 = awaitAlarm("tr-steady", "trend-spo2-falling");
    assertThat(spo2.path("summary").asString()).startsWith("SpO2 falling: 92 %");
    // a heart rate trend detected with it would have waited out the same condition delay (1 s)
    Thread.sleep(1_500);
    assertThat(conditions(alarmsOf("tr-steady")))
        .doesNotContain("trend-heart-rate-rising", "trend-heart-rate-falling");
  }

  /** A complete set of NEWS2 observations at {@code minutes} past the start. */
  private void observe(String device, String token, int minutes, double rr, double pulse) {
    String body =
        "{\"time\":\""
            + start.plus(Duration.ofMinutes(minutes))
            + "\",\"measurements\":["
            + String.join(
                ",",
                m("9279-1", rr, "/min"),
                m("59408-5", 97, "%"),
                m("3151-8", 0, "L/min"),
                m("8480-6", 125, "mm[Hg]"),
                m("8867-4", pulse, "/min"),
                m("67775-7", 0, "{ACVPU}"),
                m("8310-5", 37.0, "Cel"))
            + "]}";
    HttpResponse<String> posted = api().postJson("/api/v1/ingest/" + device, token, body);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
  }

  private static String m(String code, double value, String unit) {
    return "{\"code\":\"" + code + "\",\"value\":" + value + ",\"unit\":\"" + unit + "\"}";
  }

  @Test
  void aNews2RisingByThreeWithinTheHourRaisesAMediumTrendAlarmBelowEveryThreshold()
      throws Exception {
    String token = ward.device("tr-monitor-news2", "bedside-monitor", "tr-news2");
    observe("tr-monitor-news2", token, 0, 16, 72); // NEWS2 0
    observe("tr-monitor-news2", token, 20, 21, 95); // RR 21 (2) and pulse 95 (1): NEWS2 3

    JsonNode rising = awaitAlarm("tr-news2", "trend-news2-rising");
    assertThat(rising.path("priority").asString()).isEqualTo("medium");
    assertThat(rising.path("summary").asString())
        .isEqualTo(
            "NEWS2 rising: 3, up from 0 within 60 min (heuristic trend, not an alarm limit)");
    // 3 without a single 3 is RCP's low band: the NEWS2 alarm itself does not sound
    assertThat(conditions(alarmsOf("tr-news2"))).doesNotContain("news2");
  }
}
