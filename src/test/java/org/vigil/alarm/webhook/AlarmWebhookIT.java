package org.vigil.alarm.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import org.vigil.testsupport.WebhookReceiver;
import org.vigil.testsupport.WebhookReceiver.Answer;
import tools.jackson.databind.JsonNode;

/**
 * Alarm webhooks over the wire: readings sent to HTTP ingest raise an alarm, and the receiver on
 * loopback ({@link WebhookReceiver}, configured by {@link VigilServerTest}) gets it signed — the
 * signature checked here with the JDK's Mac, independently of Vigil's signer. Receivers that fail
 * for a while, for good, or refuse the body show the retries, the dead letters and their replay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlarmWebhookIT extends VigilServerTest {

  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final String ALL = "/alarm-hook/all";

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired ClientRegistry clients;
  @Autowired JdbcTemplate jdbc;

  private final WebhookReceiver receiver = WebhookReceiver.shared();

  /** How the receiver answers each patient's alarms (others: 200). */
  private final Map<String, java.util.function.Function<WebhookReceiver.Request, Answer>> answers =
      new ConcurrentHashMap<>();

  private TestWard ward;
  private String admin;
  private String nurse;
  private Instant clock = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);

  @BeforeAll
  void setUp() {
    ward = new TestWard(patients, devices);
    String secret =
        clients.register("wh-admin", Set.of("system/Device.cruds", "system/*.rs"), "test");
    admin = api().token("wh-admin", secret, null);
    users.save(
        new UserAccount("wh-nurse", Role.NURSE, "wh-nurse", Optional.empty(), true), "pw-wh-nurse");
    users.setWards("wh-nurse", Set.of("Ward 7B"));
    nurse = new WebSignIn(api().base()).accessToken("wh-nurse", "pw-wh-nurse", "openid user/*.rs");
    receiver.answer(request -> {
      JsonNode body = VigilApi.json(request.text());
      var answer = answers.get(body.path("alarm").path("patientId").asString());
      return answer == null ? Answer.OK : answer.apply(request);
    });
  }

  @AfterAll
  void answerOkAgain() {
    receiver.answer(request -> Answer.OK);
  }

  /** Septic readings (NEWS2 9): a high alarm at once. Returns the device's patient. */
  private void raiseHighAlarm(String patient) {
    String device = patient + "-monitor";
    String token = ward.device(device, "bedside-monitor", patient);
    clock = clock.plusSeconds(1);
    String body =
        "{\"time\":\""
            + clock
            + "\",\"measurements\":["
            + m("9279-1", 25, "/min")
            + ","
            + m("59408-5", 94, "%")
            + ","
            + m("3151-8", 0, "L/min")
            + ","
            + m("8480-6", 100, "mm[Hg]")
            + ","
            + m("8867-4", 125, "/min")
            + ","
            + m("67775-7", 0, "{ACVPU}")
            + ","
            + m("8310-5", 38.5, "Cel")
            + "]}";
    HttpResponse<String> posted = api().postJson("/api/v1/ingest/" + device, token, body);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
  }

  private static String m(String code, double value, String unit) {
    return "{\"code\":\"" + code + "\",\"value\":" + value + ",\"unit\":\"" + unit + "\"}";
  }

  private static Predicate<WebhookReceiver.Request> to(String path, String patient, String event) {
    return r -> {
      if (!r.path().equals(path)) {
        return false;
      }
      JsonNode body = VigilApi.json(r.text());
      // the septic readings also raise a limit alarm for the pulse: only the NEWS2 alarm here
      return body.path("alarm").path("patientId").asString().equals(patient)
          && body.path("alarm").path("condition").asString().equals("news2")
          && body.path("event").asString().equals(event);
    };
  }

  private static String hmac(String timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(ALARM_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static JsonNode body(WebhookReceiver.Request request) {
    return VigilApi.json(request.text());
  }

  /** The dead letters of one event, waited for; empty list never returned. */
  private List<JsonNode> deadLettersOf(String eventId) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      HttpResponse<String> page =
          api().get("/api/v1/alarm-webhooks/dead-letters?count=1000", admin);
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      List<JsonNode> theirs = new java.util.ArrayList<>();
      for (JsonNode letter : VigilApi.json(page.body()).path("deadLetters")) {
        if (letter.path("eventId").asString().equals(eventId)
            && letter.path("endpoint").asString().endsWith(ALL)) {
          theirs.add(letter);
        }
      }
      if (!theirs.isEmpty()) {
        return theirs;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no dead letter of " + eventId + " within " + PATIENCE);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void deliversEachAlarmChangeSignedWithoutThePatientsName() throws Exception {
    raiseHighAlarm("wh-signed");
    WebhookReceiver.Request raised =
        receiver.await(to(ALL, "wh-signed", "raised"), 1, PATIENCE).getFirst();

    JsonNode body = body(raised);
    long alarmId = body.path("alarm").path("id").asLong();
    assertThat(body.path("eventId").asString()).startsWith(alarmId + "-");
    assertThat(body.path("alarm").path("priority").asString()).isEqualTo("high");
    assertThat(body.path("alarm").path("status").asString()).isEqualTo("active");
    assertThat(Instant.parse(body.path("time").asString())).isBefore(Instant.now().plusSeconds(1));
    // the patient by id only: TestWard's patients are all "Oscar Lindqvist", MRN-<id>
    assertThat(raised.text()).doesNotContain("Lindqvist", "Oscar", "MRN-", "1944");

    assertThat(raised.header("X-Vigil-Event")).isEqualTo("raised");
    assertThat(UUID.fromString(raised.header("X-Vigil-Delivery"))).isNotNull();
    assertThat(raised.header("Content-Type")).startsWith("application/json");
    String timestamp = raised.header("X-Vigil-Timestamp");
    assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(60);
    String signature = raised.header("X-Vigil-Signature");
    assertThat(signature).isEqualTo(hmac(timestamp, raised.body()));
    byte[] tampered = raised.text().replace("\"high\"", "\"low\"").getBytes(StandardCharsets.UTF_8);
    assertThat(tampered).isNotEqualTo(raised.body());
    assertThat(signature).isNotEqualTo(hmac(timestamp, tampered));
    assertThat(signature)
        .isNotEqualTo(hmac(Long.toString(Long.parseLong(timestamp) + 1), raised.body()));

    // the acknowledgements-only webhook got nothing yet, then only the acknowledgement
    assertThat(
            receiver.received(r ->
                r.path().equals("/alarm-hook/acknowledged") && r.text().contains("\"wh-signed\"")))
        .isEmpty();
    HttpResponse<String> acknowledged =
        api().postJson("/api/v1/alarms/" + alarmId + "/acknowledge", nurse, "{}");
    assertThat(acknowledged.statusCode()).as(acknowledged.body()).isEqualTo(200);
    WebhookReceiver.Request ack =
        receiver
            .await(to("/alarm-hook/acknowledged", "wh-signed", "acknowledged"), 1, PATIENCE)
            .getFirst();
    assertThat(ack.header("X-Vigil-Event")).isEqualTo("acknowledged");
    assertThat(body(ack).path("alarm").path("acknowledgedBy").asString()).isEqualTo("wh-nurse");
    assertThat(ack.header("X-Vigil-Signature"))
        .isEqualTo(hmac(ack.header("X-Vigil-Timestamp"), ack.body()));
    assertThat(
            receiver.received(r ->
                r.path().equals("/alarm-hook/acknowledged") && r.text().contains("\"wh-signed\"")))
        .hasSize(1);
    // and the all-changes one got it too, after the raise: in order
    receiver.await(to(ALL, "wh-signed", "acknowledged"), 1, PATIENCE);

    // each delivery is a disclosure of the patient, in the audit trail
    assertThat(
            jdbc.queryForObject(
                "select count(*) from audit_event e join audit_event_patient p on p.event_id = e.id"
                    + " where e.category = 'webhook' and p.patient_id = ? and e.what = ?",
                Integer.class,
                "wh-signed",
                "deliver raised of alarm " + alarmId + " to " + receiver.url(ALL)))
        .isEqualTo(1);
  }

  @Test
  void retriesServerErrorsAndDeliversOnTheThirdAttempt() throws Exception {
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    answers.put(
        "wh-flaky",
        r ->
            attempts
                        .computeIfAbsent(
                            body(r).path("eventId").asString(), k -> new AtomicInteger())
                        .incrementAndGet()
                    <= 2
                ? Answer.of(503)
                : Answer.OK);
    raiseHighAlarm("wh-flaky");

    List<WebhookReceiver.Request> tries =
        receiver.await(to(ALL, "wh-flaky", "raised"), 3, PATIENCE);
    String eventId = body(tries.getFirst()).path("eventId").asString();
    // the same delivery each time, signed afresh
    assertThat(tries)
        .extracting(r -> r.header("X-Vigil-Delivery"))
        .containsOnly(tries.getFirst().header("X-Vigil-Delivery"));
    for (WebhookReceiver.Request r : tries) {
      assertThat(r.header("X-Vigil-Signature"))
          .isEqualTo(hmac(r.header("X-Vigil-Timestamp"), r.body()));
    }
    // backed off between attempts (50 ms, then 100 ms)
    assertThat(Duration.between(tries.get(0).at(), tries.get(2).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(140));
    // no fourth attempt comes, and no dead letter
    Thread.sleep(500);
    assertThat(receiver.received(to(ALL, "wh-flaky", "raised"))).hasSize(3);
    HttpResponse<String> page = api().get("/api/v1/alarm-webhooks/dead-letters?count=1000", admin);
    assertThat(page.body()).doesNotContain("\"" + eventId + "\"");
  }

  @Test
  void honoursRetryAfter() throws Exception {
    Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    answers.put(
        "wh-busy",
        r ->
            attempts
                        .computeIfAbsent(
                            body(r).path("eventId").asString(), k -> new AtomicInteger())
                        .incrementAndGet()
                    == 1
                ? new Answer(429, "1")
                : Answer.OK);
    raiseHighAlarm("wh-busy");
    List<WebhookReceiver.Request> tries = receiver.await(to(ALL, "wh-busy", "raised"), 2, PATIENCE);
    // the receiver asked for a second; the backoff alone would have waited 50 ms
    assertThat(Duration.between(tries.get(0).at(), tries.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void keepsADeadLetterAfterTheLastAttemptAndReplaysItOnceTheReceiverRecovers() throws Exception {
    answers.put("wh-down", r -> Answer.of(500));
    raiseHighAlarm("wh-down");
    List<WebhookReceiver.Request> tries =
        receiver.await(to(ALL, "wh-down", "raised"), ALARM_WEBHOOK_ATTEMPTS, PATIENCE);
    String eventId = body(tries.getFirst()).path("eventId").asString();

    JsonNode letter = deadLettersOf(eventId).getFirst();
    assertThat(letter.path("event").asString()).isEqualTo("raised");
    assertThat(letter.path("attempts").asInt()).isEqualTo(ALARM_WEBHOOK_ATTEMPTS);
    assertThat(letter.path("lastStatus").asInt()).isEqualTo(500);
    assertThat(letter.path("lastError").asString()).contains("HTTP 500");
    assertThat(letter.path("delivered").asBoolean()).isFalse();
    assertThat(receiver.received(to(ALL, "wh-down", "raised"))).hasSize(ALARM_WEBHOOK_ATTEMPTS);

    // people who do not administer integrations may not see them
    assertThat(api().get("/api/v1/alarm-webhooks/dead-letters", nurse).statusCode()).isEqualTo(403);
    long id = letter.path("id").asLong();
    assertThat(
            api()
                .postJson("/api/v1/alarm-webhooks/dead-letters/" + id + "/replay", nurse, "")
                .statusCode())
        .isEqualTo(403);

    // still down: the replay says so
    HttpResponse<String> failed =
        api().postJson("/api/v1/alarm-webhooks/dead-letters/" + id + "/replay", admin, "");
    assertThat(failed.statusCode()).as(failed.body()).isEqualTo(200);
    assertThat(VigilApi.json(failed.body()).path("delivered").asBoolean()).isFalse();

    answers.remove("wh-down");
    HttpResponse<String> replayed =
        api().postJson("/api/v1/alarm-webhooks/dead-letters/" + id + "/replay", admin, "");
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
    assertThat(VigilApi.json(replayed.body()).path("delivered").asBoolean()).isTrue();
    assertThat(VigilApi.json(replayed.body()).path("status").asInt()).isEqualTo(200);

    List<WebhookReceiver.Request> all =
        receiver.received(r ->
            to(ALL, "wh-down", "raised").test(r)
                && body(r).path("eventId").asString().equals(eventId));
    assertThat(all).hasSize(ALARM_WEBHOOK_ATTEMPTS + 2);
    WebhookReceiver.Request replay = all.getLast();
    assertThat(replay.body()).isEqualTo(tries.getFirst().body());
    assertThat(replay.header("X-Vigil-Delivery"))
        .isNotEqualTo(tries.getFirst().header("X-Vigil-Delivery"));
    assertThat(replay.header("X-Vigil-Signature"))
        .isEqualTo(hmac(replay.header("X-Vigil-Timestamp"), replay.body()));

    JsonNode after =
        VigilApi.json(api().get("/api/v1/alarm-webhooks/dead-letters/" + id, admin).body());
    assertThat(after.path("delivered").asBoolean()).isTrue();
    assertThat(after.path("replayOutcome").asString()).startsWith("delivered");
    assertThat(api().get("/api/v1/alarm-webhooks/dead-letters/999999999", admin).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aRefusedDeliveryIsADeadLetterAtOnce() throws Exception {
    answers.put("wh-refused", r -> Answer.of(400));
    raiseHighAlarm("wh-refused");
    WebhookReceiver.Request refused =
        receiver.await(to(ALL, "wh-refused", "raised"), 1, PATIENCE).getFirst();
    String eventId = body(refused).path("eventId").asString();
    JsonNode letter = deadLettersOf(eventId).getFirst();
    assertThat(letter.path("attempts").asInt()).isEqualTo(1);
    assertThat(letter.path("lastStatus").asInt()).isEqualTo(400);
    assertThat(receiver.received(r -> to(ALL, "wh-refused", "raised").test(r))).hasSize(1);
  }
}
