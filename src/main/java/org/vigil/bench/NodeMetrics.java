package org.vigil.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gauges of a Vigil node running elsewhere (a {@code ./vigil serve}), read from its actuator
 * metrics endpoint with the benchmark's access token: the node's own CPU load and heap, without the
 * benchmark's clients in them.
 */
public final class NodeMetrics implements ResourceSampler.Gauges {

  private final URI base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final JsonMapper json = JsonMapper.builder().build();

  public NodeMetrics(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  @Override
  public String measured() {
    return "the node's metrics endpoint (" + base + "/actuator/metrics)";
  }

  @Override
  public Optional<ResourceSampler.Sample> read() {
    try {
      double process = gauge("process.cpu.usage", "");
      double machine = gauge("system.cpu.usage", "");
      double heapUsed = gauge("jvm.memory.used", "?tag=area:heap");
      double heapMax = gauge("jvm.memory.max", "?tag=area:heap");
      if (process < 0 || machine < 0) {
        return Optional.empty();
      }
      return Optional.of(
          new ResourceSampler.Sample(
              process * 100, machine * 100, (long) heapUsed, (long) heapMax));
    } catch (IOException e) {
      return Optional.empty(); // a sample missed; the report says how many were taken
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Reads the node's gauges once, failing with the reason when it cannot. */
  public void check() throws IOException, InterruptedException {
    gauge("process.cpu.usage", "");
  }

  private double gauge(String name, String query) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.resolve("/actuator/metrics/" + name + query))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(name + ": HTTP " + response.statusCode());
    }
    for (JsonNode measurement : json.readTree(response.body()).path("measurements")) {
      if (measurement.path("statistic").asString().equals("VALUE")) {
        return measurement.path("value").asDouble();
      }
    }
    throw new IOException(name + ": no value");
  }
}
