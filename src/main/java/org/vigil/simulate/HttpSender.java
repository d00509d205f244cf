package org.vigil.simulate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/ingest/{deviceId}} with the device's bearer token, as README.md documents
 * (events to {@code /events}). 202 (an event: 201) is accepted; 429 and 503 are retried after their
 * {@code Retry-After} (a device's duty: the retry never stores a reading twice); a refusal is
 * reported with its status and the OperationOutcome's issue code.
 */
final class HttpSender implements Sender {

  static final int ATTEMPTS = 5;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

  private final URI target;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final JsonMapper json = JsonMapper.builder().build();

  HttpSender(URI target) {
    this.target = target;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @Override
  public Delivery deliver(PlayedDevice device, byte[] payload, int readings) {
    return post(device, "", payload, readings, 202);
  }

  @Override
  public Delivery deliverEvent(PlayedDevice device, byte[] payload) {
    return post(device, "/events", payload, 0, 201);
  }

  private Delivery post(
      PlayedDevice device, String path, byte[] payload, int readings, int success) {
    HttpRequest request =
        HttpRequest.newBuilder(target.resolve("/api/v1/ingest/" + device.id() + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + device.device().token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
            .build();
    String lastProblem = "";
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (HttpTimeoutException e) {
        lastProblem = "HTTP timeout";
        continue;
      } catch (IOException e) {
        lastProblem = "HTTP " + e.getClass().getSimpleName();
        pause(Duration.ofMillis(250L << attempt));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Delivery.failed("interrupted", attempt);
      }
      int status = response.statusCode();
      if (status == success) {
        return Delivery.accepted(
            success == 202 ? accepted(response.body(), readings) : readings, attempt);
      }
      if (status == 429 || status == 503) {
        lastProblem = "HTTP " + status;
        pause(retryAfter(response));
        continue;
      }
      return Delivery.refused("HTTP " + status + issueCode(response.body()), attempt);
    }
    return lastProblem.startsWith("HTTP 4") || lastProblem.startsWith("HTTP 5")
        ? Delivery.refused(lastProblem + " after " + ATTEMPTS + " attempts", ATTEMPTS - 1)
        : Delivery.failed(lastProblem, ATTEMPTS - 1);
  }

  private int accepted(String body, int readings) {
    try {
      return json.readTree(body).path("accepted").asInt(readings);
    } catch (RuntimeException e) {
      return readings;
    }
  }

  /** The first issue's code (invalid, security, …): enough to tell refusals apart in a summary. */
  private String issueCode(String body) {
    try {
      JsonNode code = json.readTree(body).path("issue").path(0).path("code");
      return code.isString() ? " " + code.asString() : "";
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static Duration retryAfter(HttpResponse<String> response) {
    Duration wait =
        response
            .headers()
            .firstValue("Retry-After")
            .map(s -> {
              try {
                return Duration.ofSeconds(Long.parseLong(s.trim()));
              } catch (NumberFormatException e) {
                return Duration.ofSeconds(1);
              }
            })
            .orElse(Duration.ofSeconds(1));
    return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void disconnect(PlayedDevice device) {
    // HTTP has no session: an offline device simply sends nothing.
  }

  @Override
  public void close() {
    http.close();
    executor.close();
  }
}
