package org.vigil.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A FHIR Bulk Data export as a backend service runs it: kick-off, poll the status URL every 100 ms
 * until the manifest is there, then download the file. Timed from the kick-off to the manifest: the
 * server's export rate, resources per second.
 */
public final class BulkExportBenchmark {

  /** One export: resources written, seconds from kick-off to manifest, bytes downloaded. */
  public record Result(long resources, double seconds, double resourcesPerSecond, long bytes) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public BulkExportBenchmark(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  public Result run(String type) throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<String> accepted =
        http.send(
            request(base + "/fhir/$export?_type=" + type)
                .header("Prefer", "respond-async")
                .header("Accept", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (accepted.statusCode() != 202) {
      throw new IllegalStateException("kick-off answered " + accepted.statusCode());
    }
    String status = accepted.headers().firstValue("Content-Location").orElseThrow();
    JsonNode manifest;
    while (true) {
      HttpResponse<String> polled =
          http.send(request(status).build(), HttpResponse.BodyHandlers.ofString());
      if (polled.statusCode() == 200) {
        manifest = JSON.readTree(polled.body());
        break;
      }
      if (polled.statusCode() != 202) {
        throw new IllegalStateException("status answered " + polled.statusCode());
      }
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    JsonNode output = manifest.path("output").get(0);
    long resources = output.path("count").asLong();
    long bytes = 0;
    try (InputStream in =
        http.send(
                request(output.path("url").asString()).build(),
                HttpResponse.BodyHandlers.ofInputStream())
            .body()) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        bytes += n;
      }
    }
    http.send(request(status).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    return new Result(resources, seconds, resources / seconds, bytes);
  }

  private HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofMinutes(10))
        .header("Authorization", "Bearer " + token);
  }
}
