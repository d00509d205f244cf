package org.vigil.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The FHIR reads a clinician's screens make, over HTTP as a client sees them: paging through one
 * patient's long history newest first (a chart's scroll back), and {@code Observation/$lastn} for a
 * whole ward (the dashboard's refresh). Each request is timed from sending to the last byte of the
 * answer; the JSON is parsed outside the timed part. One client, one request at a time, so the
 * figures are latencies, not throughput under contention.
 */
public final class FhirReadBenchmark {

  /** What to run. */
  public record Settings(
      URI base,
      String token,
      String patientId,
      String code,
      int pageSize,
      List<String> wardPatients,
      int rounds) {}

  /** Paging through one patient's history: every page of every round. */
  public record PagingResult(
      int rounds,
      long pages,
      long observations,
      double observationsPerSecond,
      LatencyReport page) {}

  /** {@code $lastn} for the ward, {@code calls} times. */
  public record LastnResult(
      int patients, long calls, long observationsPerCall, LatencyReport call) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Settings settings;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FhirReadBenchmark(Settings settings) {
    this.settings = settings;
  }

  /** Pages through the patient's readings of the code, newest first, {@code rounds} times. */
  public PagingResult paging() throws IOException, InterruptedException {
    Histogram nanos = new Histogram(3);
    long pages = 0;
    long observations = 0;
    long totalNanos = 0;
    for (int round = 0; round < settings.rounds(); round++) {
      String next =
          settings.base()
              + "/fhir/Observation?patient="
              + encode(settings.patientId())
              + "&code="
              + encode("http://loinc.org|" + settings.code())
              + "&_count="
              + settings.pageSize();
      while (next != null) {
        long start = System.nanoTime();
        String body = get(next);
        long took = System.nanoTime() - start;
        nanos.recordValue(took);
        totalNanos += took;
        JsonNode bundle = JSON.readTree(body);
        pages++;
        observations += bundle.path("entry").size();
        next = nextLink(bundle);
      }
    }
    return new PagingResult(
        settings.rounds(),
        pages,
        observations,
        observations / (totalNanos / 1e9),
        LatencyReport.of(nanos));
  }

  /**
   * Asks for the latest reading of every code of every patient on the ward, {@code calls} times.
   */
  public LastnResult lastn(int calls) throws IOException, InterruptedException {
    String url =
        settings.base()
            + "/fhir/Observation/$lastn?max=1&patient="
            + encode(String.join(",", settings.wardPatients()));
    Histogram nanos = new Histogram(3);
    long perCall = -1;
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      String body = get(url);
      nanos.recordValue(System.nanoTime() - start);
      int entries = JSON.readTree(body).path("entry").size();
      if (perCall >= 0 && entries != perCall) {
        throw new IllegalStateException("$lastn answered " + entries + " then " + perCall);
      }
      perCall = entries;
    }
    return new LastnResult(settings.wardPatients().size(), calls, perCall, LatencyReport.of(nanos));
  }

  private String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + settings.token())
                .header("Accept", "application/fhir+json")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static String nextLink(JsonNode bundle) {
    for (JsonNode link : bundle.path("link")) {
      if ("next".equals(link.path("relation").asString())) {
        return link.path("url").asString();
      }
    }
    return null;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
