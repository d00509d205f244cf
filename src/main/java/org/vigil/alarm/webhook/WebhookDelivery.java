package org.vigil.alarm.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vigil.outbound.EndpointAllowList;

/**
 * POSTs one webhook body to one endpoint, signed afresh at every attempt, and retries what may
 * succeed later: connection errors and time-outs, HTTP 5xx, 408 and 429 — waiting {@code
 * webhook-first-retry}, then twice as long each time, or as long as the receiver's {@code
 * Retry-After} asks (never more than {@code webhook-max-retry-wait}). Any other answer that is not
 * 2xx (a 4xx: the receiver refuses this body; a 3xx: redirects are not followed, they could lead
 * anywhere) fails at once, as retrying would only repeat it.
 */
@Component
class WebhookDelivery {

  private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

  static final String EVENT = "X-Vigil-Event";
  static final String DELIVERY = "X-Vigil-Delivery";
  static final String TIMESTAMP = org.vigil.outbound.WebhookSigner.TIMESTAMP_HEADER;
  static final String SIGNATURE = org.vigil.outbound.WebhookSigner.SIGNATURE_HEADER;

  /** What is delivered: the body exactly as signed, the change's name and this delivery's id. */
  record Request(String event, String deliveryId, byte[] body) {}

  /**
   * What the last attempt gave.
   *
   * @param delivered a 2xx
   * @param attempts how many were made
   * @param status the last HTTP status, if there was an answer
   * @param error what went wrong, in words; empty once delivered
   */
  record Outcome(boolean delivered, int attempts, Optional<Integer> status, String error) {}

  private record Attempt(
      Optional<Integer> status, String error, boolean retriable, Optional<Duration> retryAfter) {

    boolean ok() {
      return status.map(s -> s / 100 == 2).orElse(false);
    }
  }

  private final WebhookProperties settings;
  private final HttpClient http;
  private final Clock clock = Clock.systemUTC();
  private final Counter delivered;
  private final Counter retried;

  WebhookDelivery(WebhookProperties settings, MeterRegistry meters) {
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.webhookTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.delivered = AlarmWebhooks.counter(meters, "delivered", "Webhook deliveries answered 2xx");
    this.retried =
        AlarmWebhooks.counter(meters, "retried", "Webhook attempts that failed and were retried");
  }

  /** Delivers with every attempt the settings allow; returns once delivered or given up. */
  Outcome deliver(WebhookEndpoint endpoint, Request request) throws InterruptedException {
    Duration backoff = settings.webhookFirstRetry();
    for (int attempt = 1; ; attempt++) {
      Attempt result = post(endpoint, request);
      if (result.ok()) {
        delivered.increment();
        return new Outcome(true, attempt, result.status(), "");
      }
      if (!result.retriable() || attempt >= settings.webhookMaxAttempts()) {
        return new Outcome(false, attempt, result.status(), result.error());
      }
      retried.increment();
      Duration wait = result.retryAfter().orElse(backoff);
      if (wait.compareTo(settings.webhookMaxRetryWait()) > 0) {
        wait = settings.webhookMaxRetryWait();
      }
      log.debug(
          "webhook {} delivery {} attempt {} failed ({}), retrying in {}",
          endpoint,
          request.deliveryId(),
          attempt,
          result.error(),
          wait);
      Thread.sleep(wait);
      backoff = backoff.multipliedBy(2);
    }
  }

  /** One attempt, no retry: a replay, where the administrator sees the answer at once. */
  Outcome deliverOnce(WebhookEndpoint endpoint, Request request) {
    Attempt result;
    try {
      result = post(endpoint, request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, 1, Optional.empty(), "interrupted");
    }
    if (result.ok()) {
      delivered.increment();
      return new Outcome(true, 1, result.status(), "");
    }
    return new Outcome(false, 1, result.status(), result.error());
  }

  /** One POST; an interrupt (the node stopping) is not a failure of the endpoint's. */
  private Attempt post(WebhookEndpoint endpoint, Request request) throws InterruptedException {
    Optional<String> refused = EndpointAllowList.resolvesToForbidden(endpoint.uri());
    if (refused.isPresent()) {
      return new Attempt(Optional.empty(), refused.get(), false, Optional.empty());
    }
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest post =
        HttpRequest.newBuilder(endpoint.uri())
            .timeout(settings.webhookTimeout())
            .header("Content-Type", "application/json; charset=UTF-8")
            .header(EVENT, request.event())
            .header(DELIVERY, request.deliveryId())
            .header(TIMESTAMP, timestamp)
            .header(SIGNATURE, endpoint.signer().sign(timestamp, request.body()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()))
            .build();
    HttpResponse<Void> response;
    try {
      // what a receiver says besides its status is not kept: it could be anything, of any size
      response = http.send(post, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      return new Attempt(
          Optional.empty(), endpoint + " could not be reached: " + e, true, Optional.empty());
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return new Attempt(Optional.of(status), "", false, Optional.empty());
    }
    boolean retriable = status / 100 == 5 || status == 408 || status == 429;
    return new Attempt(
        Optional.of(status),
        endpoint + " answered HTTP " + status,
        retriable,
        retriable ? retryAfter(response, clock.instant()) : Optional.empty());
  }

  /** A {@code Retry-After} of seconds or an HTTP date, as a wait from now; empty when absent. */
  static Optional<Duration> retryAfter(HttpResponse<?> response, Instant now) {
    return response.headers().firstValue("Retry-After").flatMap(v -> parseRetryAfter(v, now));
  }

  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String text = value.strip();
    try {
      if (text.matches("\\d{1,9}")) {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
      }
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty(); // not one we understand: the backoff applies
    }
  }
}
