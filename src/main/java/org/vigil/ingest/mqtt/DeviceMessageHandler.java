package org.vigil.ingest.mqtt;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import org.vigil.ingest.DeadLetters;
import org.vigil.ingest.DeviceContent;
import org.vigil.ingest.DeviceEnvelope;
import org.vigil.ingest.DeviceEvents;
import org.vigil.ingest.DeviceNotAssignedException;
import org.vigil.ingest.DeviceStatusReports;
import org.vigil.ingest.IngestProperties;
import org.vigil.ingest.IngestService;
import org.vigil.ingest.RateLimitedException;
import org.vigil.log.IngestLogUnavailableException;
import org.vigil.normalize.InvalidMessageException;

/**
 * The broker-independent half of the MQTT transport: given an authenticated device's message on one
 * of its topics, route it — readings to ingestion, events and status to their stores — and say what
 * became of it. Used by the embedded broker's interceptor and by the external-broker client alike.
 */
@Component
class DeviceMessageHandler {

  static final String TRANSPORT = "mqtt";
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(DeviceMessageHandler.class);

  private final IngestService ingest;
  private final DeviceEvents events;
  private final DeviceStatusReports statuses;
  private final IngestProperties limits;
  private final DeadLetters deadLetters;

  DeviceMessageHandler(
      IngestService ingest,
      DeviceEvents events,
      DeviceStatusReports statuses,
      IngestProperties limits,
      DeadLetters deadLetters) {
    this.ingest = ingest;
    this.events = events;
    this.statuses = statuses;
    this.limits = limits;
    this.deadLetters = deadLetters;
  }

  /**
   * Handles one message. Blocking work (storage) happens on the caller's thread or in the returned
   * future; call it from a thread that may block.
   */
  CompletableFuture<MqttOutcome> handle(DeviceTopic topic, byte[] payload, Instant receivedAt) {
    try {
      return switch (topic.channel()) {
        case "messages" ->
            readings(topic.deviceId(), DeviceContent.JSON, payload, receivedAt, topic);
        case "gatt" -> {
          if (!DeviceContent.Gatt.isValid(topic.rest())) {
            yield unknown(topic);
          }
          yield readings(
              topic.deviceId(), new DeviceContent.Gatt(topic.rest()), payload, receivedAt, topic);
        }
        case "events" -> {
          if (!topic.rest().isEmpty()) {
            yield unknown(topic);
          }
          yield kept(
              topic,
              payload,
              receivedAt,
              () -> events.record(topic.deviceId(), payload, receivedAt));
        }
        case "status" -> {
          if (!topic.rest().isEmpty()) {
            yield unknown(topic);
          }
          yield kept(
              topic,
              payload,
              receivedAt,
              () -> statuses.record(topic.deviceId(), payload, receivedAt));
        }
        default -> unknown(topic);
      };
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(outcomeOf(e));
    }
  }

  private CompletableFuture<MqttOutcome> readings(
      String deviceId,
      DeviceContent content,
      byte[] payload,
      Instant receivedAt,
      DeviceTopic topic) {
    DeviceEnvelope envelope = new DeviceEnvelope(deviceId, TRANSPORT, content, payload, receivedAt);
    return ingest
        .accept(envelope)
        .orTimeout(limits.durableTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle((count, failure) ->
            failure == null
                ? MqttOutcome.accepted()
                : outcomeOf(
                    failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause()
                        : failure));
  }

  /** Events and status reports: stored directly; what cannot be read becomes a dead letter. */
  private CompletableFuture<MqttOutcome> kept(
      DeviceTopic topic, byte[] payload, Instant receivedAt, Runnable store) {
    try {
      store.run();
      return CompletableFuture.completedFuture(MqttOutcome.accepted());
    } catch (InvalidMessageException e) {
      ingest.rejected(TRANSPORT, "invalid");
      deadLetters.record(
          topic.deviceId(), TRANSPORT, topic.channel(), payload, receivedAt, e.getMessage());
      throw e;
    }
  }

  private CompletableFuture<MqttOutcome> unknown(DeviceTopic topic) {
    ingest.rejected(TRANSPORT, "unknown-topic");
    return CompletableFuture.completedFuture(
        new MqttOutcome(
            MqttOutcome.Kind.UNKNOWN_TOPIC,
            "Vigil reads devices/{id}/messages, gatt/{uuid16}, events and status; not "
                + topic.channel()
                + (topic.rest().isEmpty() ? "" : "/" + topic.rest())));
  }

  private static MqttOutcome outcomeOf(Throwable failure) {
    return switch (failure) {
      case InvalidMessageException e -> new MqttOutcome(MqttOutcome.Kind.DEAD_LETTERED, brief(e));
      case DeviceNotAssignedException e ->
          new MqttOutcome(MqttOutcome.Kind.DEAD_LETTERED, brief(e));
      case RateLimitedException e -> new MqttOutcome(MqttOutcome.Kind.RATE_LIMITED, brief(e));
      case IngestLogUnavailableException e ->
          new MqttOutcome(MqttOutcome.Kind.UNAVAILABLE, brief(e));
      case TimeoutException e ->
          new MqttOutcome(MqttOutcome.Kind.UNAVAILABLE, "not confirmed durable in time; retry");
      default -> {
        log.error("Unexpected failure handling an MQTT message", failure);
        yield new MqttOutcome(MqttOutcome.Kind.UNAVAILABLE, "internal error; retry");
      }
    };
  }

  /** MQTT 5 reason strings should be short; the dead letter keeps the full story. */
  private static String brief(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.length() <= 200 ? message : message.substring(0, 199) + "…";
  }
}
