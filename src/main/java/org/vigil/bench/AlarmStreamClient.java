package org.vigil.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A subscriber to Vigil's live alarm stream ({@code GET /api/v1/alarms/stream}, Server-Sent
 * Events), as a ward display or a paging system would hold one open. Each event is handed on with
 * the moment its data line was read, so the time taken is the time a client sees it.
 */
final class AlarmStreamClient implements AutoCloseable {

  /** One event: its name ({@code active}, {@code acknowledged}, {@code resolved}) and alarm. */
  record Event(String name, JsonNode alarm, long arrivedNanos) {}

  /** What to do with each event, on the reading thread. */
  interface Listener {
    void onEvent(Event event);
  }

  private final HttpClient http;
  private final InputStream body;
  private final Thread reader;

  private AlarmStreamClient(HttpClient http, InputStream body, Listener listener) {
    this.http = http;
    this.body = body;
    this.reader =
        Thread.ofPlatform().name("bench-alarm-stream").daemon().start(() -> read(listener));
  }

  /** Opens the stream with a bearer token; fails unless the server answers 200. */
  static AlarmStreamClient open(URI base, String token, Listener listener)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/v1/alarms/stream"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> response;
    try {
      response =
          http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
              .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      http.shutdownNow();
      throw new IOException("the alarm stream did not open: " + e.getMessage(), e);
    }
    if (response.statusCode() != 200) {
      response.body().close();
      http.shutdownNow();
      throw new IOException("the alarm stream answered " + response.statusCode());
    }
    return new AlarmStreamClient(http, response.body(), listener);
  }

  private void read(Listener listener) {
    JsonMapper json = JsonMapper.builder().build();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String name = null;
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:") && name != null) {
          long arrived = System.nanoTime();
          listener.onEvent(new Event(name, json.readTree(line.substring(5).trim()), arrived));
          name = null;
        } else if (line.isEmpty()) {
          name = null;
        }
      }
    } catch (IOException e) {
      // closed: the benchmark is over, or the node went away (probes then count as missed)
    }
  }

  @Override
  public void close() throws IOException {
    body.close();
    // Drops the connection, so the node ends the stream now rather than at its own shutdown.
    http.shutdownNow();
    reader.interrupt();
  }
}
