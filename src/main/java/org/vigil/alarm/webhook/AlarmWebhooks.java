package org.vigil.alarm.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.AlarmEvent;
import org.vigil.alarm.AlarmListener;
import org.vigil.alarm.AlarmProperties;
import org.vigil.alarm.AlarmView;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.outbound.WebhookSigner;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outbound alarm webhooks: every stored alarm change an endpoint's filter accepts is POSTed to it
 * as JSON, signed (see {@link WebhookSigner}). The alarm path only writes the body and hands it
 * over: each endpoint has a bounded queue and one virtual thread of its own that delivers in order,
 * retrying as {@link WebhookDelivery} says, so a slow or dead receiver delays neither alarms nor
 * the other endpoints. A delivery that fails for good becomes a dead letter, to be replayed by an
 * administrator; one that finds its endpoint's queue full is dropped and counted.
 */
@Component
class AlarmWebhooks implements AlarmListener {

  private static final Logger log = LoggerFactory.getLogger(AlarmWebhooks.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * The body of a webhook.
   *
   * @param eventId the change's id, the same as on the live stream and for every endpoint and
   *     replay: a receiver that sees it twice has seen the change already
   * @param event raised, updated, acknowledged, resolved, escalated, snoozed
   * @param time when the change was made
   * @param alarm the alarm after the change, as the REST API shows it (the patient by id only)
   */
  record WebhookEvent(String eventId, String event, Instant time, AlarmView alarm) {}

  private record Pending(
      String eventId, String event, long alarmId, String patientId, String body) {}

  /** An endpoint and the thread that delivers to it in order. */
  private record Queue(WebhookEndpoint endpoint, ThreadPoolExecutor sender) {}

  private final List<Queue> queues;
  private final WebhookDelivery delivery;
  private final WebhookDeadLetters deadLetters;
  private final AuditTrail audit;
  private final AlarmProperties alarmSettings;
  private final WebhookProperties settings;
  private final Clock clock = Clock.systemUTC();
  private final Counter deadLettered;
  private final Counter dropped;

  AlarmWebhooks(
      WebhookProperties settings,
      AlarmProperties alarmSettings,
      WebhookDelivery delivery,
      WebhookDeadLetters deadLetters,
      AuditTrail audit,
      MeterRegistry meters) {
    this.audit = audit;
    this.settings = settings;
    this.alarmSettings = alarmSettings;
    this.delivery = delivery;
    this.deadLetters = deadLetters;
    this.deadLettered =
        counter(meters, "dead-lettered", "Webhook deliveries given up and kept as dead letters");
    this.dropped = counter(meters, "dropped", "Webhook deliveries dropped as a queue was full");
    List<Queue> queues = new ArrayList<>();
    for (int i = 0; i < settings.webhooks().size(); i++) {
      WebhookEndpoint endpoint = WebhookEndpoint.of(i, settings.webhooks().get(i));
      ThreadPoolExecutor sender =
          new ThreadPoolExecutor(
              1,
              1,
              30,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(settings.webhookQueueCapacity()),
              Thread.ofVirtual().name("alarm-webhook-" + i).factory());
      sender.allowCoreThreadTimeOut(true);
      queues.add(new Queue(endpoint, sender));
      log.info("Alarm webhook {} delivers to {}", i, endpoint);
    }
    this.queues = List.copyOf(queues);
  }

  static Counter counter(MeterRegistry meters, String outcome, String description) {
    return Counter.builder("vigil.alarm.webhook.deliveries")
        .description(description)
        .tag("outcome", outcome)
        .register(meters);
  }

  @Override
  public void changed(Alarm alarm) {
    changed(alarm, AlarmEvent.Kind.UPDATED);
  }

  @Override
  public void changed(Alarm alarm, AlarmEvent.Kind what) {
    Pending pending = null;
    for (Queue queue : queues) {
      if (!queue.endpoint().wants(alarm, what)) {
        continue;
      }
      if (pending == null) {
        pending = pending(alarm, what);
      }
      Pending delivering = pending;
      try {
        queue.sender().execute(() -> deliver(queue.endpoint(), delivering));
      } catch (RejectedExecutionException e) {
        dropped.increment();
        log.warn(
            "Alarm webhook {}: {} deliveries waiting, {} of alarm {} was dropped",
            queue.endpoint(),
            settings.webhookQueueCapacity(),
            what.code(),
            alarm.id());
      }
    }
  }

  private Pending pending(Alarm alarm, AlarmEvent.Kind what) {
    String eventId = alarm.id() + "-" + alarm.updatedAt().toEpochMilli();
    AlarmView view =
        withoutFreeText(AlarmView.of(alarm, alarmSettings.stepName(alarm.escalation())));
    String body =
        JSON.writeValueAsString(new WebhookEvent(eventId, what.code(), alarm.updatedAt(), view));
    return new Pending(eventId, what.code(), alarm.id(), alarm.patientId(), body);
  }

  /**
   * A clinician's reason for resolving is free text that could name anyone, so it does not leave
   * Vigil; the reason Vigil gives itself ("the condition cleared") does.
   */
  static AlarmView withoutFreeText(AlarmView v) {
    if (v.resolvedBy() == null) {
      return v;
    }
    return new AlarmView(
        v.id(),
        v.patientId(),
        v.condition(),
        v.kind(),
        v.priority(),
        v.status(),
        v.summary(),
        v.raisedAt(),
        v.updatedAt(),
        v.acknowledgedBy(),
        v.acknowledgedAt(),
        v.resolvedBy(),
        v.resolvedAt(),
        null,
        v.escalation(),
        v.escalatedTo(),
        v.snoozedUntil());
  }

  private void deliver(WebhookEndpoint endpoint, Pending pending) {
    WebhookDelivery.Outcome outcome;
    try {
      outcome =
          delivery.deliver(
              endpoint,
              new WebhookDelivery.Request(
                  pending.event(),
                  UUID.randomUUID().toString(),
                  pending.body().getBytes(StandardCharsets.UTF_8)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // the node is stopping
    }
    audited(endpoint, pending.event(), pending.alarmId(), pending.patientId(), outcome, "");
    if (outcome.delivered()) {
      return;
    }
    log.warn(
        "Alarm webhook {} did not take {} of alarm {} after {} attempts, kept as a dead letter: {}",
        endpoint,
        pending.event(),
        pending.alarmId(),
        outcome.attempts(),
        outcome.error());
    try {
      deadLetters.record(
          endpoint.url(),
          pending.eventId(),
          pending.event(),
          pending.alarmId(),
          pending.body(),
          outcome.status(),
          outcome.error(),
          outcome.attempts(),
          clock.instant());
      deadLettered.increment();
    } catch (RuntimeException e) {
      log.error(
          "Alarm webhook {}: the dead letter of {} could not be kept: {}",
          endpoint,
          pending.eventId(),
          e.toString());
    }
  }

  /**
   * Sends a dead letter again, once, with its original body and event id and a new delivery id and
   * signature, and records the outcome on it.
   *
   * @return what the attempt gave; empty when its endpoint is no longer configured
   */
  Optional<WebhookDelivery.Outcome> replay(WebhookDeadLetter letter, String body) {
    Optional<WebhookEndpoint> endpoint =
        queues.stream()
            .map(Queue::endpoint)
            .filter(e -> e.url().equals(letter.endpoint()))
            .findFirst();
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    WebhookDelivery.Outcome outcome =
        delivery.deliverOnce(
            endpoint.get(),
            new WebhookDelivery.Request(
                letter.event(),
                UUID.randomUUID().toString(),
                body.getBytes(StandardCharsets.UTF_8)));
    audited(
        endpoint.get(),
        letter.event(),
        letter.alarmId(),
        patientOf(body),
        outcome,
        " (replay of dead letter " + letter.id() + ")");
    deadLetters.markReplayed(
        letter.id(),
        clock.instant(),
        outcome.delivered(),
        outcome.delivered()
            ? "delivered: HTTP " + outcome.status().map(String::valueOf).orElse("?")
            : "failed: " + outcome.error());
    return Optional.of(outcome);
  }

  /**
   * Each delivery is a disclosure of the patient's alarm to the receiver, audited as one — also
   * when it failed, if the receiver answered (it had the body).
   */
  private void audited(
      WebhookEndpoint endpoint,
      String event,
      long alarmId,
      String patientId,
      WebhookDelivery.Outcome outcome,
      String note) {
    if (!outcome.delivered() && outcome.status().isEmpty()) {
      return; // never reached the receiver: nothing was disclosed
    }
    String url = endpoint.url();
    try {
      audit.record(
          new AuditEntry(
              "webhook",
              "E",
              outcome.delivered() ? AuditEntry.SUCCESS : AuditEntry.MINOR_FAILURE,
              new AuditAgent(
                  "webhook",
                  url.length() <= 200 ? url : url.substring(0, 200),
                  Optional.empty(),
                  Optional.empty()),
              Set.of(patientId),
              "deliver " + event + " of alarm " + alarmId + " to " + url + note,
              outcome.delivered() ? Optional.empty() : Optional.of(outcome.error())));
    } catch (RuntimeException e) {
      log.warn("Alarm webhook {}: a delivery could not be audited: {}", endpoint, e.toString());
    }
  }

  private static String patientOf(String body) {
    return JSON.readTree(body).path("alarm").path("patientId").asString();
  }

  @PreDestroy
  void close() {
    queues.forEach(q -> q.sender().shutdownNow());
  }
}
