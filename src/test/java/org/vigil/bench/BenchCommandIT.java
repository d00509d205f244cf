package org.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.vigil.testsupport.TestDatabase;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilProcess;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./vigil bench mqtt} runs end to end, briefly, on the embedded database and on PostgreSQL,
 * and what it counts was stored: a smoke test of the benchmark, not a measurement (the figures in
 * docs/BENCHMARKS.md come from long runs on a quiet machine).
 *
 * <p>The cases run concurrently (each starts its own processes on ports of its own), beside the
 * tests that share the Spring context — two threads in all (junit-platform.properties): they spend
 * most of their time starting, waiting for and stopping nodes. The fatigue report has no other
 * bench case beside it, as its simulated clock runs 720 times faster than the wall's and a second
 * bench node would slow the one it measures; its smoke test's assertions are counts, not times.
 */
@Execution(ExecutionMode.CONCURRENT)
class BenchCommandIT {

  static final String MACHINE = "the machine's two cores";

  @TempDir Path dir;

  private JsonNode bench(String... extra) throws Exception {
    Path json = dir.resolve("bench-" + System.nanoTime() + ".json");
    String[] args = new String[10 + extra.length];
    String[] base = {
      "bench",
      "mqtt",
      "--devices",
      "4",
      "--warmup",
      "PT1S",
      "--duration",
      "PT2S",
      "--json",
      json.toString()
    };
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    VigilProcess.Result result = VigilProcess.run(Duration.ofSeconds(120), args);
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("1/msg", "10/msg");
    return VigilApi.json(Files.readString(json));
  }

  @Test
  @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
  void measuresFhirReadsAndReadsBackEverythingItLoaded() throws Exception {
    Path json = dir.resolve("fhir.json");
    VigilProcess.Result result =
        VigilProcess.run(
            Duration.ofSeconds(120),
            "bench",
            "fhir",
            "--history",
            "2500",
            "--ward",
            "3",
            "--rounds",
            "1",
            "--lastn-calls",
            "5",
            "--json",
            json.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("page of 1000", "$lastn");

    JsonNode report = VigilApi.json(Files.readString(json));
    // 2,500 readings at 1,000 a page: three pages, every reading once
    assertThat(report.path("paging").path("pages").asLong()).isEqualTo(3);
    assertThat(report.path("paging").path("observations").asLong()).isEqualTo(2500);
    // the latest of 5 vital signs for each of 3 patients
    assertThat(report.path("lastn").path("observationsPerCall").asLong()).isEqualTo(15);
    assertThat(report.path("lastn").path("call").path("p95").asDouble()).isPositive();
  }

  @Test
  @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
  void measuresABulkExportOfEverythingItStored() throws Exception {
    Path json = dir.resolve("export.json");
    VigilProcess.Result result =
        VigilProcess.run(
            Duration.ofSeconds(120),
            "bench",
            "export",
            "--observations",
            "25000",
            "--json",
            json.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();

    JsonNode export = VigilApi.json(Files.readString(json)).path("export");
    assertThat(export.path("resources").asLong()).isEqualTo(25_000);
    assertThat(export.path("bytes").asLong()).isGreaterThan(25_000L * 500);
    assertThat(export.path("resourcesPerSecond").asDouble()).isPositive();
  }

  @Test
  @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
  void measuresPublishToAlarmLatencyAndEveryProbeRaisesItsAlarm() throws Exception {
    Path json = dir.resolve("alarms.json");
    VigilProcess.Result result =
        VigilProcess.run(
            Duration.ofSeconds(120),
            "bench",
            "alarms",
            "--devices",
            "4",
            "--rate",
            "400",
            "--warmup",
            "PT1S",
            "--duration",
            "PT2S",
            "--json",
            json.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("publish to alarm on stream", "publish to visible in FHIR", "readings/s");

    JsonNode run = VigilApi.json(Files.readString(json)).path("result");
    // one probe every 200 ms for the 2 measured seconds, each raising its own high alarm
    long probes = run.path("probes").asLong();
    assertThat(probes).isBetween(9L, 11L);
    assertThat(run.path("probesAlarmed").asLong()).isEqualTo(probes);
    assertThat(run.path("probesMissed").asLong()).isZero();
    assertThat(run.path("probeErrors").asLong()).isZero();
    // normal background vital signs raise nothing
    assertThat(run.path("unexpectedAlarms").asLong()).isZero();
    JsonNode latency = run.path("publishToAlarm");
    assertThat(latency.path("count").asLong()).isEqualTo(probes);
    // and each probe's reading was found through the FHIR API
    assertThat(run.path("publishToFhir").path("count").asLong()).isEqualTo(probes);
    assertThat(run.path("probesNotVisible").asLong()).isZero();
    assertThat(latency.path("p50").asDouble()).isPositive();
    assertThat(latency.path("p99").asDouble())
        .isGreaterThanOrEqualTo(latency.path("p50").asDouble());
    assertThat(latency.path("max").asDouble())
        .isGreaterThanOrEqualTo(latency.path("p99").asDouble());
    assertThat(run.path("achievedReadingsPerSecond").asDouble()).isPositive();
    assertThat(run.path("backgroundErrors").asLong()).isZero();
    assertThat(run.path("server").path("heapUsedMaxMegabytes").asLong()).isPositive();
  }

  /**
   * Against a node running in its own JVM ({@code ./vigil serve}): the devices are registered in
   * that node's storage, the load goes over its MQTT listener, and the CPU and heap reported are
   * the node's own, read from its metrics endpoint.
   */
  @Test
  @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
  void measuresARunningNodeOverItsOwnListeners() throws Exception {
    int http = VigilProcess.freePort();
    int mqtt = VigilProcess.freePort();
    Path data = dir.resolve("node");
    Path json = dir.resolve("target.json");
    try (VigilProcess node =
        VigilProcess.start(
            "bench-target",
            http,
            "serve",
            "--http-port",
            String.valueOf(http),
            "--mqtt-port",
            String.valueOf(mqtt),
            "--data-dir",
            data.toString())) {
      node.awaitReady(Duration.ofSeconds(180));
      VigilProcess.Result result =
          VigilProcess.run(
              Duration.ofSeconds(120),
              "bench",
              "alarms",
              "--target",
              "http://127.0.0.1:" + http,
              "--mqtt",
              "tcp://127.0.0.1:" + mqtt,
              "--data-dir",
              data.toString(),
              "--devices",
              "4",
              "--rate",
              "400",
              "--warmup",
              "PT1S",
              "--duration",
              "PT2S",
              "--json",
              json.toString());
      assertThat(result.exitCode()).as(result.stderr() + node.tail()).isZero();
    }

    JsonNode run = VigilApi.json(Files.readString(json)).path("result");
    long probes = run.path("probes").asLong();
    assertThat(probes).isBetween(9L, 11L);
    assertThat(run.path("probesAlarmed").asLong()).isEqualTo(probes);
    assertThat(run.path("probeErrors").asLong()).isZero();
    assertThat(run.path("backgroundErrors").asLong()).isZero();
    JsonNode server = run.path("server");
    assertThat(server.path("measured").asString()).containsIgnoringCase("metrics");
    assertThat(server.path("samples").asLong()).isPositive();
    assertThat(server.path("heapUsedMaxMegabytes").asLong()).isPositive();
  }

  @Test
  @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
  void measuresTheEmbeddedDatabase() throws Exception {
    JsonNode report = bench();

    assertThat(report.path("database").asString()).isEqualTo("embedded H2");
    assertThat(report.path("results")).hasSize(2);
    for (JsonNode run : report.path("results")) {
      assertThat(run.path("errors").asLong()).isZero();
      assertThat(run.path("readings").asLong()).isPositive();
      assertThat(run.path("publishToPuback").path("p99").asDouble())
          .isGreaterThanOrEqualTo(run.path("publishToPuback").path("p50").asDouble());
    }
  }

  @Test
  @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
  void measuresPostgresqlWithSeveralWritersAndStoresWhatItCounts() throws Exception {
    try (TestDatabase.Instance db = TestDatabase.POSTGRESQL.create()) {
      JsonNode report = bench("--db-url", db.url(), "--workers", "2");

      assertThat(report.path("database").asString()).isEqualTo("PostgreSQL");
      assertThat(report.path("storeWriters").asInt()).isEqualTo(2);
      long acknowledged = 0;
      for (JsonNode run : report.path("results")) {
        assertThat(run.path("errors").asLong()).isZero();
        acknowledged += run.path("readings").asLong();
      }
      Long stored =
          new org.springframework.jdbc.core.JdbcTemplate(db.dataSource())
              .queryForObject("select count(*) from measurement_point", Long.class);
      // warm-up readings are stored too, so there are at least as many as were counted
      assertThat(stored).isGreaterThanOrEqualTo(acknowledged);
    }
  }

  @Test
  @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
  void stepModeRaisesTheLoadUntilABoundBreaksAndReportsTheKnee() throws Exception {
    Path json = dir.resolve("knee.json");
    VigilProcess.Result result =
        VigilProcess.run(
            Duration.ofSeconds(120),
            "bench",
            "knee",
            "--devices",
            "4",
            "--readings-per-message",
            "10",
            "--start-rate",
            "200",
            "--step-factor",
            "2",
            "--max-steps",
            "2",
            "--p99-bound",
            "PT2S",
            // two seconds are a short window: the last messages' acknowledgements fall after it
            "--min-acknowledged",
            "0.8",
            "--warmup",
            "PT1S",
            "--duration",
            "PT2S",
            "--json",
            json.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    JsonNode run = VigilApi.json(Files.readString(json)).path("results").get(0);
    JsonNode steps = run.path("steps");
    // a light load on a generous bound holds: both steps run, the second twice the first
    assertThat(steps.size()).isEqualTo(2);
    assertThat(steps.get(0).path("offeredReadingsPerSecond").asInt()).isEqualTo(200);
    assertThat(steps.get(1).path("offeredReadingsPerSecond").asInt()).isEqualTo(400);
    for (JsonNode step : steps) {
      assertThat(step.path("held").asBoolean()).as(step.toString()).isTrue();
      assertThat(step.path("acknowledgedReadingsPerSecond").asDouble()).isPositive();
      assertThat(step.path("publishToPuback").path("count").asLong()).isPositive();
    }
    assertThat(run.path("knee").asInt()).isEqualTo(400);
    assertThat(result.stdout()).contains("knee at 10 readings per message: 400 readings/s");

    // a bound no node can meet breaks at the first step, and says so
    VigilProcess.Result tight =
        VigilProcess.run(
            Duration.ofSeconds(120),
            "bench",
            "knee",
            "--devices",
            "2",
            "--readings-per-message",
            "1",
            "--start-rate",
            "200",
            "--max-steps",
            "3",
            "--p99-bound",
            "PT0.000001S",
            "--warmup",
            "PT1S",
            "--duration",
            "PT1S");
    assertThat(tight.exitCode()).as(tight.stderr()).isZero();
    assertThat(tight.stdout()).contains("broke: p99").contains("not reached");
  }

  @Test
  @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ_WRITE)
  void theFatigueReportCountsWhatTheControlsMadeOfEachConditionAndScoresTheEpisodes()
      throws Exception {
    Path json = dir.resolve("fatigue.json");
    VigilProcess.Result result =
        VigilProcess.run(
            Duration.ofSeconds(240),
            "bench",
            "fatigue",
            "--patients",
            "7",
            "--simulated",
            "PT6H",
            "--speed",
            "720",
            "--json",
            json.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    JsonNode run = VigilApi.json(Files.readString(json)).path("result");
    assertThat(run.path("simulator").path("acceptedReadings").asLong()).isPositive();
    long began = run.path("began").asLong();
    JsonNode outcomes = run.path("outcomes");
    long fated =
        outcomes.path("new-alarm").asLong()
            + outcomes.path("joined-open-alarm").asLong()
            + outcomes.path("cleared-within-delay").asLong()
            + outcomes.path("suppressed").asLong();
    assertThat(fated + run.path("stillWaiting").asLong()).isEqualTo(began);
    // every clinical alarm the ward raised began as a condition, and only new ones are alarms
    assertThat(outcomes.path("new-alarm").asLong()).isEqualTo(run.path("clinicalAlarms").asLong());
    assertThat(run.path("withControlsPerPatientDay").asDouble())
        .isLessThanOrEqualTo(run.path("withoutControlsPerPatientDay").asDouble());
    assertThat(run.path("episodes")).hasSize(6);
    for (JsonNode episode : run.path("episodes")) {
      assertThat(episode.path("caught").asBoolean()).as(episode.toString()).isTrue();
    }
    assertThat(result.stdout()).contains("episodes caught: 6 of 6");
  }
}
