package org.vigil.medication;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vigil.outbound.EndpointAllowList;
import org.vigil.outbound.WebhookSigner;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tells SMS and push gateways of each medication reminder: a JSON POST ({@code X-Vigil-Event:
 * medication.reminder}) signed exactly as alarm webhooks are ({@link WebhookSigner}), to endpoints
 * the {@code vigil.medication.reminder-allowed-endpoints} allow-list permits ({@link
 * EndpointAllowList}, checked as written at start-up and as resolved at each delivery). Delivered
 * off the reminder path, retried on connection errors, 5xx, 408 and 429, then given up (logged
 * without the patient's data). The body names the patient and the medicine by reference and the
 * medicine's text, which the gateway needs to word its message.
 */
@Component
class ReminderWebhooks implements AutoCloseable {

  static final String SETTING = "vigil.medication.reminder-allowed-endpoints";
  static final String EVENT = "medication.reminder";

  private static final Logger log = LoggerFactory.getLogger(ReminderWebhooks.class);

  private record Endpoint(URI uri, WebhookSigner signer) {}

  private final List<Endpoint> endpoints;
  private final MedicationProperties settings;
  private final HttpClient http;
  private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
  private final JsonMapper json = JsonMapper.builder().build();
  private final Clock clock = Clock.systemUTC();

  ReminderWebhooks(MedicationProperties settings) {
    this.settings = settings;
    EndpointAllowList allowed =
        EndpointAllowList.of(SETTING, "reminder webhook", settings.reminderAllowedEndpoints());
    this.endpoints =
        settings.reminderWebhooks().stream()
            .map(hook -> {
              allowed
                  .problem(hook.url())
                  .ifPresent(problem -> {
                    throw new IllegalArgumentException(
                        "vigil.medication.reminder-webhooks: " + problem);
                  });
              return new Endpoint(
                  URI.create(hook.url()),
                  new WebhookSigner(hook.secret().getBytes(StandardCharsets.UTF_8)));
            })
            .toList();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.webhookTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Hands the reminder to every gateway, without waiting. */
  void send(MedicationReminders.Reminder reminder, DoseSchedule schedule) {
    if (endpoints.isEmpty()) {
      return;
    }
    ObjectNode body = json.createObjectNode();
    body.put("event", EVENT);
    body.put("reminder", reminder.id());
    body.put("patient", "Patient/" + reminder.patientId());
    body.put("medicationRequest", "MedicationRequest/" + schedule.id());
    body.put("medication", schedule.medication());
    schedule.doseText().ifPresent(dose -> body.put("dose", dose));
    body.put("dueAt", reminder.dueAt().toString());
    body.put("sentAt", reminder.sentAt().toString());
    byte[] bytes = json.writeValueAsBytes(body);
    String delivery = UUID.randomUUID().toString();
    for (Endpoint endpoint : endpoints) {
      deliveries.execute(() -> deliver(endpoint, delivery, bytes));
    }
  }

  private void deliver(Endpoint endpoint, String delivery, byte[] body) {
    Duration wait = Duration.ofSeconds(1);
    for (int attempt = 1; attempt <= settings.webhookAttempts(); attempt++) {
      Optional<String> failure = post(endpoint, delivery, body);
      if (failure.isEmpty()) {
        return;
      }
      if (failure.get().startsWith("final:") || attempt == settings.webhookAttempts()) {
        log.warn(
            "medication reminder delivery {} to {} given up after {} attempts: {}",
            delivery,
            endpoint.uri(),
            attempt,
            failure.get());
        return;
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      wait = wait.multipliedBy(2);
    }
  }

  /** The node stops: deliveries still waiting for a retry are given up. */
  @Override
  public void close() {
    deliveries.shutdownNow();
  }

  /** One attempt: empty when delivered, else why ({@code final:} when a retry cannot help). */
  private Optional<String> post(Endpoint endpoint, String delivery, byte[] body) {
    Optional<String> refused = EndpointAllowList.resolvesToForbidden(endpoint.uri());
    if (refused.isPresent()) {
      return Optional.of("final: " + refused.get());
    }
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.uri())
            .timeout(settings.webhookTimeout())
            .header("Content-Type", "application/json; charset=UTF-8")
            .header("X-Vigil-Event", EVENT)
            .header("X-Vigil-Delivery", delivery)
            .header(WebhookSigner.TIMESTAMP_HEADER, timestamp)
            .header(WebhookSigner.SIGNATURE_HEADER, endpoint.signer().sign(timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 == 2) {
        return Optional.empty();
      }
      boolean retriable = status / 100 == 5 || status == 408 || status == 429;
      return Optional.of((retriable ? "" : "final: ") + "HTTP " + status);
    } catch (IOException e) {
      return Optional.of("could not be reached: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("final: interrupted");
    }
  }
}
