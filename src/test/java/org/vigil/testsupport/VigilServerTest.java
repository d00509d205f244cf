package org.vigil.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole Vigil node in the test JVM — HTTP on a random port, the embedded MQTT broker on free
 * ports, an embedded database in a temporary data directory — shared by every test class that
 * extends this one (Spring caches the context), so the suite starts it once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class VigilServerTest {

  protected static final Path DATA_DIR = temporaryDirectory();
  protected static final int MQTT_PORT = VigilProcess.freePort();
  protected static final int MQTTS_PORT = VigilProcess.freePort();
  protected static final int MLLP_PORT = VigilProcess.freePort();
  protected static final int HTTPS_PORT = VigilProcess.freePort();

  /** What the test nodes sign their alarm webhooks with ({@link WebhookReceiver}). */
  protected static final String ALARM_WEBHOOK_SECRET = "test-webhook-secret-0123456789";

  protected static final int ALARM_WEBHOOK_ATTEMPTS = 4;

  @DynamicPropertySource
  static void node(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.mqtt.port", () -> MQTT_PORT);
    registry.add("vigil.mqtt.tls-port", () -> MQTTS_PORT);
    registry.add("vigil.mllp.port", () -> MLLP_PORT);
    registry.add("vigil.https.port", () -> HTTPS_PORT);
    // low enough for a test to reach with a burst of requests, high enough for the others
    registry.add("vigil.security.max-requests-per-second", () -> 50);
    registry.add("vigil.security.request-burst", () -> 60);
    // short, so that a test can see an idle session end; sign-ins take well under a second
    registry.add("vigil.security.session-timeout", () -> "PT5S");
    // alarms resolve within a test's patience once their condition clears
    registry.add("vigil.alarms.clear-hold-off", () -> "PT2S");
    registry.add("vigil.alarms.clear-check-interval", () -> "PT0.5S");
    registry.add("vigil.alarms.condition-delay", () -> "PT1S");
    registry.add("vigil.alarms.escalate-after", () -> "PT2S");
    // rest-hooks may reach receivers the tests start on loopback, and nothing else
    registry.add("vigil.fhir.subscriptions.allowed-endpoints", () -> "http://127.0.0.1:*/hook/");
    // alarm webhooks go to a receiver on loopback for the whole run (answering 200 unless a test
    // says otherwise), one for every change and one for acknowledgements only; retries are quick
    registry.add("vigil.alarm.webhook-allowed-endpoints", () -> "http://127.0.0.1:*/alarm-hook/");
    registry.add(
        "vigil.alarm.webhooks[0].url", () -> WebhookReceiver.shared().url("/alarm-hook/all"));
    registry.add("vigil.alarm.webhooks[0].secret", () -> ALARM_WEBHOOK_SECRET);
    registry.add(
        "vigil.alarm.webhooks[1].url",
        () -> WebhookReceiver.shared().url("/alarm-hook/acknowledged"));
    registry.add("vigil.alarm.webhooks[1].secret", () -> ALARM_WEBHOOK_SECRET);
    registry.add("vigil.alarm.webhooks[1].events", () -> "acknowledged");
    registry.add("vigil.alarm.webhook-max-attempts", () -> ALARM_WEBHOOK_ATTEMPTS);
    registry.add("vigil.alarm.webhook-first-retry", () -> "PT0.05S");
    registry.add("vigil.alarm.webhook-max-retry-wait", () -> "PT2S");
    // medication reminders and care-team alarms are looked at often; reminders go to the receiver
    registry.add("vigil.medication.check-interval", () -> "PT0.5S");
    registry.add(
        "vigil.medication.reminder-allowed-endpoints", () -> "http://127.0.0.1:*/medication-hook/");
    registry.add(
        "vigil.medication.reminder-webhooks[0].url",
        () -> WebhookReceiver.shared().url("/medication-hook/sms"));
    registry.add("vigil.medication.reminder-webhooks[0].secret", () -> ALARM_WEBHOOK_SECRET);
  }

  @LocalServerPort protected int port;

  protected VigilApi api() {
    return VigilApi.onPort(port);
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("vigil-server-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
