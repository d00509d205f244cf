package org.vigil.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.VigilApplication;
import org.vigil.alarm.Alarms;
import org.vigil.alarm.ConditionOutcomes;
import org.vigil.bench.AlarmLatencyBenchmark;
import org.vigil.bench.BulkExportBenchmark;
import org.vigil.bench.FatigueReport;
import org.vigil.bench.FhirReadBenchmark;
import org.vigil.bench.KneeBenchmark;
import org.vigil.bench.MqttIngestBenchmark;
import org.vigil.bench.NodeMetrics;
import org.vigil.bench.ResourceSampler;
import org.vigil.bench.ThisProcess;
import org.vigil.device.DeviceRegistry;
import org.vigil.log.IngestLog;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementIds;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.simulate.CredentialsFile;
import org.vigil.store.MeasurementStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure Vigil on this machine, against a node started in this process on an embedded"
            + " database in a temporary directory (or --db-url), or with --target against a"
            + " running ./vigil serve (mqtt and alarms). 'mqtt': sustained durable MQTT ingest (QoS 1), readings per second and"
            + " publish-to-PUBACK latency. 'fhir': FHIR read latency — paging through one"
            + " patient's day of 1 Hz heart rate, and Observation/$lastn for a ward. 'export':"
            + " FHIR Bulk Data export. 'alarms': publish-to-alarm latency on the live alarm"
            + " stream while devices publish a steady background load over MQTT. 'knee': step mode —"
            + " raises the offered MQTT load until a step breaks the bound, and reports the"
            + " highest sustained rate. 'fatigue': the alarm fatigue report — a simulated ward played"
            + " faster than real time, its alarms with and without the fatigue controls, and the"
            + " injected episodes they caught.")
final class BenchCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      description = "What to measure: mqtt, fhir, export, alarms, knee or fatigue.")
  String what;

  @Option(names = "--devices", defaultValue = "200", description = "Devices publishing at once.")
  int devices;

  @Option(
      names = "--readings-per-message",
      split = ",",
      defaultValue = "1,10",
      description = "Readings in each message; several values run one after the other.")
  List<Integer> readingsPerMessage;

  @Option(
      names = "--in-flight",
      defaultValue = "4",
      description = "Messages each device keeps unacknowledged at once.")
  int inFlight;

  @Option(names = "--warmup", defaultValue = "PT10S", description = "Warm-up before measuring.")
  Duration warmup;

  @Option(names = "--duration", defaultValue = "PT30S", description = "Measured time per run.")
  Duration duration;

  @Option(names = "--json", description = "Also write the results as JSON to this file.")
  Path json;

  @Option(
      names = "--db-url",
      defaultValue = "",
      description =
          "Store in this database instead of a fresh embedded one, e.g."
              + " jdbc:postgresql://127.0.0.1:5432/bench (give it an empty database).")
  String dbUrl;

  @Option(
      names = "--workers",
      defaultValue = "1",
      description = "Store writers draining the ingest log (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--history",
      defaultValue = "86400",
      description =
          "fhir: heart-rate readings in the long-stay patient's history, one a second"
              + " (default: ${DEFAULT-VALUE}, a day).")
  int history;

  @Option(
      names = "--ward",
      defaultValue = "50",
      description = "fhir: patients on the ward $lastn asks about (default: ${DEFAULT-VALUE}).")
  int ward;

  @Option(
      names = "--page-size",
      defaultValue = "1000",
      description = "fhir: Observations per page (default: ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "fhir: times to page through the whole history (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--lastn-calls",
      defaultValue = "300",
      description = "fhir: $lastn calls for the ward (default: ${DEFAULT-VALUE}).")
  int lastnCalls;

  @Option(
      names = "--target",
      description =
          "mqtt, alarms: measure the running Vigil at this HTTP base (e.g."
              + " http://127.0.0.1:8080) instead of a node in this process. Its devices, patients"
              + " and client are registered in its storage (--data-dir or --db-url), as ./vigil"
              + " devices register does; its CPU and heap are read from its metrics endpoint.")
  URI target;

  @Option(
      names = "--mqtt",
      description =
          "With --target: the node's MQTT listener, tcp://host:port (default: the target's host,"
              + " port 1883).")
  URI mqttListener;

  @Option(
      names = "--data-dir",
      defaultValue = "./vigil-data",
      description = "With --target: the running node's data directory (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  /** The vital signs each ward patient has, as a bedside monitor would send them. */
  private static final List<String[]> WARD_VITALS =
      List.of(
          new String[] {"8867-4", "/min", "72"},
          new String[] {"9279-1", "/min", "16"},
          new String[] {"59408-5", "%", "97"},
          new String[] {"8310-5", "Cel", "37"},
          new String[] {"8480-6", "mm[Hg]", "121"});

  @Override
  public Integer call() throws Exception {
    if (target != null && !what.equals("mqtt") && !what.equals("alarms") && !what.equals("knee")) {
      System.err.println(
          "vigil: --target works with mqtt, alarms and knee; '"
              + what
              + "' loads its data through a node's store and starts its own");
      return 2;
    }
    return switch (what) {
      case "mqtt" -> mqtt();
      case "fhir" -> fhir();
      case "export" -> export();
      case "alarms" -> alarms();
      case "knee" -> knee();
      case "fatigue" -> fatigue();
      default -> {
        System.err.println(
            "vigil: unknown benchmark '"
                + what
                + "'; try: mqtt, fhir, export, alarms, knee, fatigue");
        yield 2;
      }
    };
  }

  /**
   * The node to measure: one in this process, on free ports, in a fresh data directory; or, with
   * {@code --target}, the running node, with its registries opened on its storage.
   */
  private BenchNode node(List<String> extra) throws IOException {
    if (target != null) {
      StorageOptions storage = new StorageOptions();
      storage.dataDir = dataDir;
      storage.dbUrl = dbUrl;
      storage.dbUser = "";
      storage.dbPassword = "";
      URI mqtt =
          mqttListener != null ? mqttListener : URI.create("tcp://" + target.getHost() + ":1883");
      return new BenchNode(
          AdminContext.open(storage),
          target,
          mqtt.getHost(),
          mqtt.getPort() > 0 ? mqtt.getPort() : 1883,
          // a running node keeps what earlier runs registered: this run's names are its own
          "bench-" + Long.toString(System.currentTimeMillis(), 36) + "-");
    }
    int mqttPort = freePort();
    Path dataDirectory = Files.createTempDirectory("vigil-bench");
    List<String> args = new ArrayList<>();
    if (!dbUrl.isBlank()) {
      args.add("--vigil.db.url=" + dbUrl);
    }
    args.add("--vigil.ingest-log.workers=" + workers);
    args.addAll(
        List.of(
            "--server.port=0",
            "--vigil.data-dir=" + dataDirectory,
            "--vigil.mqtt.port=" + mqttPort,
            "--vigil.mqtt.tls-port=0",
            "--vigil.mllp.port=0",
            "--spring.main.banner-mode=off",
            "--logging.level.root=warn"));
    args.addAll(extra);
    ConfigurableApplicationContext context =
        new SpringApplication(VigilApplication.class).run(args.toArray(String[]::new));
    URI base =
        URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    return new BenchNode(context, base, "127.0.0.1", mqttPort, "bench-");
  }

  /**
   * A node under measurement.
   *
   * @param context the node itself, or (with --target) its registries on its storage
   * @param api its HTTP base
   * @param mqttHost its MQTT listener's host
   * @param mqttPort and port
   * @param names the prefix of everything this run registers
   */
  private record BenchNode(
      ConfigurableApplicationContext context, URI api, String mqttHost, int mqttPort, String names)
      implements AutoCloseable {

    @Override
    public void close() {
      context.close();
    }
  }

  /** Where the node's CPU and heap are read: its metrics endpoint, or this very process. */
  private ResourceSampler.Gauges gauges(BenchNode node, String token)
      throws IOException, InterruptedException {
    if (target == null) {
      return new ThisProcess();
    }
    NodeMetrics metrics = new NodeMetrics(node.api(), token);
    metrics.check(); // fails now, with the reason, rather than reporting no samples at the end
    return metrics;
  }

  /** In-process nodes are started without the per-device limit; a running node keeps its own. */
  private static final List<String> NO_DEVICE_RATE_LIMIT =
      List.of("--vigil.ingest.max-messages-per-second=1000000", "--vigil.ingest.burst=1000000");

  /** The node measured and its database, for the report's first line (no credentials). */
  private String where() {
    String database = dbUrl.isBlank() ? "embedded H2" : dbUrl.replaceAll("//[^@/]*@", "//");
    return target == null ? database : "the node at " + target + " (" + database + ")";
  }

  private Map<String, Object> report(String benchmark) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", benchmark);
    report.put("date", Instant.now().toString());
    report.put("machine", MqttIngestBenchmark.Machine.current());
    report.put("database", dbUrl.isBlank() ? "embedded H2" : "PostgreSQL");
    report.put("node", target == null ? "in this process" : target.toString());
    return report;
  }

  private void write(Map<String, Object> report) throws IOException {
    if (json != null) {
      JsonMapper.builder()
          .build()
          .writerWithDefaultPrettyPrinter()
          .writeValue(json.toFile(), report);
      System.out.println("results written to " + json);
    }
  }

  private int fhir() throws Exception {
    Map<String, Object> report = report("fhir-read");
    try (BenchNode measured =
        node(
            // The benchmark measures the API, not the per-caller rate limit.
            List.of(
                "--vigil.security.max-requests-per-second=1000000",
                "--vigil.security.request-burst=1000000"))) {
      ConfigurableApplicationContext node = measured.context();
      URI base = measured.api();
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      String longStay = "bench-long-stay";
      List<String> wardPatients = new ArrayList<>();
      for (int i = 0; i < ward; i++) {
        wardPatients.add(String.format("bench-bed-%03d", i));
      }
      long loadStart = System.nanoTime();
      load(node, longStay, wardPatients, now);
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      String token = readerToken(node, base);
      System.out.printf(
          "Vigil FHIR read benchmark: %,d heart rates of one patient paged at %d, $lastn for"
              + " %d patients × %d codes, %s (loaded in %.1f s)%n",
          history, pageSize, ward, WARD_VITALS.size(), where(), loadSeconds);
      var bench =
          new FhirReadBenchmark(
              new FhirReadBenchmark.Settings(
                  base, token, longStay, "8867-4", pageSize, wardPatients, rounds));
      bench.paging(); // warm-up: JIT, connection, caches
      bench.lastn(Math.max(1, lastnCalls / 10));
      var paging = bench.paging();
      var lastn = bench.lastn(lastnCalls);
      System.out.printf(
          "%-22s %8s %9s %9s %9s %9s %14s%n",
          "", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms", "Observations/s");
      System.out.printf(
          "%-22s %8d %9.2f %9.2f %9.2f %9.2f %14.0f%n",
          "page of " + pageSize,
          paging.pages(),
          paging.page().p50(),
          paging.page().p95(),
          paging.page().p99(),
          paging.page().max(),
          paging.observationsPerSecond());
      System.out.printf(
          "%-22s %8d %9.2f %9.2f %9.2f %9.2f %14s%n",
          "$lastn, " + lastn.observationsPerCall() + " Obs.",
          lastn.calls(),
          lastn.call().p50(),
          lastn.call().p95(),
          lastn.call().p99(),
          lastn.call().max(),
          "");
      report.put("history", history);
      report.put("pageSize", pageSize);
      report.put("paging", paging);
      report.put("lastn", lastn);
    }
    write(report);
    return 0;
  }

  @Option(
      names = "--observations",
      defaultValue = "1000000",
      description = "export: Observations stored before the export (default: ${DEFAULT-VALUE}).")
  int observations;

  private int export() throws Exception {
    Map<String, Object> report = report("fhir-bulk-export");
    try (BenchNode bench = node(List.of())) {
      ConfigurableApplicationContext node = bench.context();
      URI base = bench.api();
      MeasurementStore store = node.getBean(MeasurementStore.class);
      MeasurementIds ids = node.getBean(MeasurementIds.class);
      Instant start = Instant.now().minusSeconds(observations);
      long loadStart = System.nanoTime();
      storeHeartRates(
          store,
          ids,
          observations,
          i -> start.plusSeconds(i),
          i -> String.format("bench-patient-%03d", i % 100),
          i -> String.format("bench-monitor-%03d", i % 100));
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      String token = readerToken(node, base);
      System.out.printf(
          "Vigil bulk export benchmark: %,d Observations, %s (loaded in %.1f s)%n",
          observations, where(), loadSeconds);
      var result = new BulkExportBenchmark(base, token).run("Observation");
      System.out.printf(
          "exported %,d Observations to NDJSON in %.1f s: %,.0f resources/s, %,d bytes%n",
          result.resources(), result.seconds(), result.resourcesPerSecond(), result.bytes());
      report.put("observations", observations);
      report.put("export", result);
    }
    write(report);
    return 0;
  }

  /** The long-stay patient's day of heart rates and the ward's last hour of vital signs. */
  private void load(
      ConfigurableApplicationContext node,
      String longStay,
      List<String> wardPatients,
      Instant now) {
    PatientRepository patients = node.getBean(PatientRepository.class);
    MeasurementStore store = node.getBean(MeasurementStore.class);
    MeasurementIds ids = node.getBean(MeasurementIds.class);
    admit(patients, longStay, "Long stay");
    storeHeartRates(
        store,
        ids,
        history,
        i -> now.minusSeconds(history - i),
        i -> longStay,
        i -> "bench-monitor");
    List<Measurement> batch = new ArrayList<>();
    for (String patient : wardPatients) {
      admit(patients, patient, "Bench ward");
      for (String[] vital : WARD_VITALS) {
        for (int minute = 60; minute > 0; minute--) {
          Instant at = now.minusSeconds(60L * minute);
          batch.add(
              new Measurement(
                  ids.next(),
                  patient,
                  "monitor-" + patient,
                  vital[0],
                  0,
                  Double.parseDouble(vital[2]),
                  vital[1],
                  at,
                  at));
        }
      }
    }
    store.append(batch);
  }

  /** {@code count} heart rates, 60 to 99 bpm, stored 10,000 at a time. */
  private static void storeHeartRates(
      MeasurementStore store,
      MeasurementIds ids,
      int count,
      IntFunction<Instant> time,
      IntFunction<String> patient,
      IntFunction<String> device) {
    List<Measurement> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant at = time.apply(i);
      batch.add(
          new Measurement(
              ids.next(),
              patient.apply(i),
              device.apply(i),
              "8867-4",
              147842,
              60 + i % 40,
              "/min",
              at,
              at));
      if (batch.size() == 10_000) {
        store.append(batch);
        batch.clear();
      }
    }
    store.append(batch);
  }

  private static void admit(PatientRepository patients, String id, String wardName) {
    patients.save(
        new Patient(
            id,
            "BENCH-" + id,
            "Bench",
            id,
            Optional.of(LocalDate.of(1960, 1, 1)),
            "unknown",
            Optional.of(wardName),
            Optional.empty(),
            Instant.now()));
  }

  /** A system client's access token, by the client-credentials grant, as an EHR would get one. */
  private static String readerToken(ConfigurableApplicationContext node, URI base)
      throws IOException, InterruptedException {
    return readerToken(node, base, "bench-");
  }

  private static String readerToken(ConfigurableApplicationContext node, URI base, String names)
      throws IOException, InterruptedException {
    String client = names + "reader";
    String secret =
        node.getBean(ClientRegistry.class)
            .register(client, Set.of("system/*.rs"), "Vigil benchmark reader");
    String basic =
        Base64.getEncoder()
            .encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve("/oauth2/token"))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("no token: " + response.statusCode());
    }
    return JsonMapper.builder().build().readTree(response.body()).path("access_token").asString();
  }

  @Option(
      names = "--rate",
      defaultValue = "20000",
      description =
          "alarms: background readings per second offered, open loop, 10 a message"
              + " (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--probe-interval",
      defaultValue = "PT0.2S",
      description =
          "alarms: time between probes, each a fresh patient whose observations score NEWS2 7+"
              + " (default: ${DEFAULT-VALUE}).")
  Duration probeInterval;

  @Option(
      names = "--start-rate",
      defaultValue = "5000",
      description =
          "knee: the first step's offered readings per second (default: ${DEFAULT-VALUE}).")
  int startRate;

  @Option(
      names = "--step-factor",
      defaultValue = "1.25",
      description = "knee: each step offers this many times the last (default: ${DEFAULT-VALUE}).")
  double stepFactor;

  @Option(
      names = "--max-steps",
      defaultValue = "12",
      description = "knee: at most this many steps (default: ${DEFAULT-VALUE}).")
  int maxSteps;

  @Option(
      names = "--p99-bound",
      defaultValue = "PT0.05S",
      description =
          "knee: a step holds while its publish-to-PUBACK p99 is at most this"
              + " (default: ${DEFAULT-VALUE}), the node keeps up (--min-acknowledged) and no"
              + " publish fails.")
  Duration p99Bound;

  @Option(
      names = "--min-acknowledged",
      defaultValue = "0.98",
      description =
          "knee: the least share of a step's offered readings acknowledged within the step"
              + " (default: ${DEFAULT-VALUE}); below it the node is falling behind.")
  double minAcknowledged;

  private int knee() throws Exception {
    Map<String, Object> report = report("knee");
    report.put("p99BoundMillis", p99Bound.toMillis());
    List<KneeBenchmark.Result> results = new ArrayList<>();
    try (BenchNode bench = node(NO_DEVICE_RATE_LIMIT)) {
      List<MqttIngestBenchmark.BenchDevice> benchDevices = register(bench);
      System.out.printf(
          "Vigil knee benchmark: %d devices, open loop QoS 1, from %,d readings/s ×%.2f a step,"
              + " %s warm-up and %s measured each, bound p99 ≤ %d ms, %s%n",
          devices, startRate, stepFactor, warmup, duration, p99Bound.toMillis(), where());
      for (int perMessage : readingsPerMessage) {
        System.out.printf(
            "%-10s %14s %14s %9s %9s %9s %7s  %s%n",
            "readings", "offered/s", "acked/s", "p50 ms", "p99 ms", "max ms", "errors", "");
        KneeBenchmark.Result result =
            new KneeBenchmark(
                    new KneeBenchmark.Settings(
                        bench.mqttHost(),
                        bench.mqttPort(),
                        benchDevices,
                        perMessage,
                        startRate,
                        stepFactor,
                        maxSteps,
                        warmup,
                        duration,
                        p99Bound,
                        minAcknowledged))
                .run(step ->
                    System.out.printf(
                        "%-10s %,14d %,14.0f %9.2f %9.2f %9.2f %7d  %s%n",
                        perMessage + "/msg",
                        step.offeredReadingsPerSecond(),
                        step.acknowledgedReadingsPerSecond(),
                        step.publishToPuback().p50(),
                        step.publishToPuback().p99(),
                        step.publishToPuback().max(),
                        step.errors(),
                        step.broke().map(why -> "broke: " + why).orElse("held")));
        results.add(result);
        System.out.println(
            result
                .knee()
                .map(k ->
                    "knee at %d readings per message: %,d readings/s (%,d messages/s)"
                        .formatted(perMessage, k, k / perMessage))
                .orElse(
                    "knee at "
                        + perMessage
                        + " readings per message: not reached; even the"
                        + " first step broke the bound"));
      }
    }
    report.put("results", results);
    write(report);
    return 0;
  }

  private int alarms() throws Exception {
    if (rate < 1 || probeInterval.isNegative() || probeInterval.isZero() || devices < 1) {
      System.err.println("vigil: --rate, --probe-interval and --devices must be positive");
      return 2;
    }
    Map<String, Object> report = report("alarm-latency");
    try (BenchNode bench = node(NO_DEVICE_RATE_LIMIT)) {
      URI base = bench.api();
      List<MqttIngestBenchmark.BenchDevice> background = register(bench);
      long probes = warmup.plus(duration).toNanos() / probeInterval.toNanos() + 1;
      List<AlarmLatencyBenchmark.Probe> probePatients = registerProbes(bench, (int) probes);
      String token = readerToken(bench.context(), base, bench.names());
      ResourceSampler.Gauges gauges = gauges(bench, token);
      System.out.printf(
          "Vigil alarm latency benchmark: %,d readings/s offered by %d devices (10 a message,"
              + " QoS 1), a NEWS2 7+ probe every %d ms, %s warm-up, %s measured, %s%n",
          rate, devices, probeInterval.toMillis(), warmup, duration, where());
      var result =
          new AlarmLatencyBenchmark(
                  new AlarmLatencyBenchmark.Settings(
                      bench.mqttHost(),
                      bench.mqttPort(),
                      base,
                      token,
                      background,
                      probePatients,
                      rate,
                      probeInterval,
                      warmup,
                      duration,
                      gauges))
              .run();
      System.out.printf(
          "%-26s %9s %9s %9s %9s %7s %7s %7s%n",
          "", "p50 ms", "p95 ms", "p99 ms", "max ms", "n", "missed", "errors");
      System.out.printf(
          "%-26s %9.2f %9.2f %9.2f %9.2f %7d %7d %7d%n",
          "publish to alarm on stream",
          result.publishToAlarm().p50(),
          result.publishToAlarm().p95(),
          result.publishToAlarm().p99(),
          result.publishToAlarm().max(),
          result.probesAlarmed(),
          result.probesMissed(),
          result.probeErrors());
      System.out.printf(
          "%-26s %9.2f %9.2f %9.2f %9.2f %7d %7d %7s%n",
          "publish to visible in FHIR",
          result.publishToFhir().p50(),
          result.publishToFhir().p95(),
          result.publishToFhir().p99(),
          result.publishToFhir().max(),
          result.publishToFhir().count(),
          result.probesNotVisible(),
          "");
      System.out.printf(
          "%-26s %9.2f %9.2f %9.2f %9.2f %7d %7s %7d%n",
          "background publish to ack",
          result.backgroundPublishToPuback().p50(),
          result.backgroundPublishToPuback().p95(),
          result.backgroundPublishToPuback().p99(),
          result.backgroundPublishToPuback().max(),
          result.backgroundPublishToPuback().count(),
          "",
          result.backgroundErrors());
      System.out.printf(
          "background readings/s: %,.0f offered, %,.0f acknowledged; false alarms: %d%n",
          result.offeredReadingsPerSecond(),
          result.achievedReadingsPerSecond(),
          result.unexpectedAlarms());
      printUsage(result.server());
      report.put("offeredReadingsPerSecond", rate);
      report.put("probeIntervalMillis", probeInterval.toMillis());
      report.put("result", result);
    }
    write(report);
    return 0;
  }

  private static void printUsage(ResourceSampler.Usage usage) {
    System.out.printf(
        "node CPU %.1f %% mean, %.1f %% max (of %d cores; machine %.1f %% mean); heap %,d MB max"
            + " used of %,d MB; %d samples from %s%n",
        usage.processCpuMean(),
        usage.processCpuMax(),
        Runtime.getRuntime().availableProcessors(),
        usage.machineCpuMean(),
        usage.heapUsedMaxMegabytes(),
        usage.heapMaxMegabytes(),
        usage.samples(),
        usage.measured());
  }

  /** Probe patients, each with a monitor of its own, used once each. */
  private static List<AlarmLatencyBenchmark.Probe> registerProbes(BenchNode node, int count) {
    PatientRepository patients = node.context().getBean(PatientRepository.class);
    DeviceRegistry registry = node.context().getBean(DeviceRegistry.class);
    Instant since = Instant.now().minus(Duration.ofDays(1));
    List<AlarmLatencyBenchmark.Probe> probes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String patient = String.format("%sprobe-%05d", node.names(), i);
      String device = String.format("%sprobe-monitor-%05d", node.names(), i);
      admit(patients, patient, "Bench ward");
      String token = registry.register(device, "bedside-monitor", "Bench probe " + i).token();
      registry.assign(device, patient, since);
      probes.add(
          new AlarmLatencyBenchmark.Probe(
              patient, new MqttIngestBenchmark.BenchDevice(device, token)));
    }
    return probes;
  }

  private int mqtt() throws Exception {
    Map<String, Object> report = report("mqtt-ingest");
    report.put("storeWriters", workers);
    List<MqttIngestBenchmark.Result> results = new ArrayList<>();
    List<ResourceSampler.Usage> usages = new ArrayList<>();
    try (BenchNode bench = node(NO_DEVICE_RATE_LIMIT)) {
      List<MqttIngestBenchmark.BenchDevice> benchDevices = register(bench);
      ResourceSampler.Gauges gauges =
          gauges(bench, readerToken(bench.context(), bench.api(), bench.names()));
      System.out.printf(
          "Vigil MQTT ingest benchmark: %d devices, %d in flight each, %s warm-up, %s measured,"
              + " %s, %d store writer(s)%n",
          devices, inFlight, warmup, duration, where(), workers);
      System.out.printf(
          "%-10s %12s %14s %9s %9s %9s %9s %7s%n",
          "readings", "messages/s", "readings/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors");
      for (int perMessage : readingsPerMessage) {
        MqttIngestBenchmark.Result result;
        ResourceSampler.Usage usage;
        // sampled over the run's warm-up and measurement alike: both run at full load
        try (ResourceSampler sampler = new ResourceSampler(gauges)) {
          result =
              new MqttIngestBenchmark(
                      new MqttIngestBenchmark.Settings(
                          bench.mqttHost(),
                          bench.mqttPort(),
                          benchDevices,
                          perMessage,
                          inFlight,
                          warmup,
                          duration))
                  .run();
          usage = sampler.usage();
        }
        results.add(result);
        usages.add(usage);
        System.out.printf(
            "%-10s %12.0f %14.0f %9.2f %9.2f %9.2f %9.2f %7d%n",
            perMessage + "/msg",
            result.messagesPerSecond(),
            result.readingsPerSecond(),
            result.publishToPuback().p50(),
            result.publishToPuback().p95(),
            result.publishToPuback().p99(),
            result.publishToPuback().max(),
            result.errors());
        printUsage(usage);
      }
    }
    report.put("results", results);
    report.put("nodeUsage", usages);
    write(report);
    return 0;
  }

  @Option(
      names = "--patients",
      defaultValue = "16",
      description = "fatigue: beds on the simulated ward (default: ${DEFAULT-VALUE}).")
  int patients;

  @Option(
      names = "--simulated",
      defaultValue = "PT24H",
      description = "fatigue: the simulated span (default: ${DEFAULT-VALUE}).")
  Duration simulated;

  @Option(
      names = "--speed",
      defaultValue = "240",
      description = "fatigue: simulated seconds per wall second (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--seed",
      defaultValue = "20261203",
      description = "fatigue: the ward's physiology and faults (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--numerics-interval",
      defaultValue = "PT5S",
      description =
          "fatigue: how often monitors report heart rate, SpO2 and respiratory rate (default:"
              + " ${DEFAULT-VALUE}).")
  Duration numericsInterval;

  /** The alarm timings of a ward at real speed, which the fatigue run divides by its speed. */
  private static final Duration CONDITION_DELAY = Duration.ofSeconds(15);

  private static final Duration CLEAR_HOLD_OFF = Duration.ofMinutes(2);
  private static final Duration ESCALATE_AFTER = Duration.ofMinutes(3);
  private static final Duration OFFLINE_AFTER = Duration.ofMinutes(5);

  private int fatigue() throws Exception {
    if (target != null) {
      System.err.println(
          "vigil: fatigue starts its own node, with its alarm timing scaled to --speed");
      return 2;
    }
    FatigueReport.Settings settings;
    try {
      settings =
          new FatigueReport.Settings(
              patients, simulated, speed, seed, numericsInterval, "fatigue-");
    } catch (IllegalArgumentException e) {
      System.err.println("vigil: " + e.getMessage());
      return 2;
    }
    Duration check =
        scaled(Duration.ofSeconds(5)).compareTo(Duration.ofMillis(10)) < 0
            ? Duration.ofMillis(10)
            : scaled(Duration.ofSeconds(5));
    Map<String, Object> report = report("alarm-fatigue");
    try (BenchNode bench =
        node(
            List.of(
                "--vigil.alarms.condition-delay=" + scaled(CONDITION_DELAY),
                "--vigil.alarms.clear-hold-off=" + scaled(CLEAR_HOLD_OFF),
                "--vigil.alarms.escalate-after=" + scaled(ESCALATE_AFTER),
                "--vigil.alarms.clear-check-interval=" + check,
                "--vigil.devices.offline-after=" + scaled(OFFLINE_AFTER),
                "--vigil.ingest.max-messages-per-second=1000000",
                "--vigil.ingest.burst=1000000"))) {
      ConfigurableApplicationContext node = bench.context();
      FatigueReport fatigue =
          new FatigueReport(
              settings,
              node.getBean(Alarms.class),
              node.getBean(ConditionOutcomes.class),
              at -> nurseRound(node, settings, at));
      Instant assignedFrom = Instant.now().minus(simulated).minus(Duration.ofHours(1));
      List<CredentialsFile.Entry> credentials = registerWard(node, settings, assignedFrom);
      System.out.printf(
          "Vigil alarm fatigue report: %s of a %d-bed ward at %s× real time (seed %d), numerics"
              + " every %s, over MQTT, %s; condition delay %s, hold-off %s (scaled by the"
              + " speed)%n",
          simulated,
          patients,
          speed,
          seed,
          numericsInterval,
          where(),
          CONDITION_DELAY,
          CLEAR_HOLD_OFF);
      FatigueReport.Result result =
          fatigue.run(
              URI.create("tcp://" + bench.mqttHost() + ":" + bench.mqttPort()), credentials);
      printFatigue(result);
      report.put("conditionDelay", CONDITION_DELAY.toString());
      report.put("clearHoldOff", CLEAR_HOLD_OFF.toString());
      report.put("result", result);
    }
    write(report);
    return 0;
  }

  private Duration scaled(Duration atRealSpeed) {
    return Duration.ofNanos((long) (atRealSpeed.toNanos() / speed));
  }

  private static void printFatigue(FatigueReport.Result r) {
    System.out.println(r.simulator().text());
    System.out.printf("%-58s %7s %14s%n", "clinical alarm conditions", "count", "per patient-day");
    System.out.printf(
        "%-58s %7d %14.1f%n",
        "began (each an alarm without fatigue controls)",
        r.began(),
        r.withoutControlsPerPatientDay());
    r.outcomes()
        .forEach((outcome, n) ->
            System.out.printf("%-58s %7d %14.1f%n", "  " + outcome, n, n / r.patientDays()));
    System.out.printf("%-58s %7d%n", "  still waiting out the delay at the end", r.stillWaiting());
    System.out.printf(
        "%-58s %7d %14.1f%n",
        "alarms raised with the fatigue controls",
        r.clinicalAlarms(),
        r.withControlsPerPatientDay());
    r.clinicalAlarmsByCondition()
        .forEach((condition, n) -> System.out.printf("%-58s %7d%n", "  " + condition, n));
    System.out.printf(
        "%-58s %7d%n", "  of them outside every injected episode", r.unexplainedAlarms());
    System.out.printf("%-58s %7d%n", "technical alarms (devices)", r.technicalAlarms());
    System.out.printf("episodes caught: %d of %d%n", r.episodesCaught(), r.episodes().size());
    for (FatigueReport.Episode e : r.episodes()) {
      System.out.printf(
          "  %-20s %-16s onset %s  %s%n",
          e.type(),
          e.patientId(),
          e.onset(),
          e.caught()
              ? "caught by "
                  + e.caughtBy().orElseThrow()
                  + " after about "
                  + e.minutesToAlarm().orElseThrow()
                  + " min"
              : "MISSED");
    }
  }

  private static List<CredentialsFile.Entry> registerWard(
      ConfigurableApplicationContext node, FatigueReport.Settings settings, Instant from) {
    PatientRepository patients = node.getBean(PatientRepository.class);
    DeviceRegistry registry = node.getBean(DeviceRegistry.class);
    List<CredentialsFile.Entry> entries = new ArrayList<>();
    for (int i = 0; i < settings.patients(); i++) {
      String patient = settings.patient(i);
      admit(patients, patient, "Fatigue ward");
      for (String kind : FatigueReport.devicesOf(i)) {
        String device = patient + "-" + kind;
        String token = registry.register(device, kind, "Fatigue ward " + kind).token();
        registry.assign(device, patient, from);
        entries.add(new CredentialsFile.Entry(device, token, patient, kind));
      }
    }
    return entries;
  }

  /** The ward nurse's round: alert, on air, for every patient, dated {@code at}. */
  private static void nurseRound(
      ConfigurableApplicationContext node, FatigueReport.Settings settings, Instant at) {
    IngestLog log = node.getBean(IngestLog.class);
    MeasurementIds ids = node.getBean(MeasurementIds.class);
    String nurse = Measurement.MANUAL_ENTRY_PREFIX + "fatigue-nurse";
    for (int i = 0; i < settings.patients(); i++) {
      String patient = settings.patient(i);
      log.append(
          List.of(
              new Measurement(
                  ids.next(),
                  patient,
                  nurse,
                  MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS,
                  Measurement.NO_MDC_CODE,
                  Consciousness.ALERT.ordinal(),
                  Consciousness.UNIT,
                  at,
                  at),
              new Measurement(
                  ids.next(),
                  patient,
                  nurse,
                  MeasurementCatalog.INHALED_OXYGEN_FLOW,
                  Measurement.NO_MDC_CODE,
                  0,
                  "L/min",
                  at,
                  at)));
    }
  }

  private List<MqttIngestBenchmark.BenchDevice> register(BenchNode node) {
    PatientRepository patients = node.context().getBean(PatientRepository.class);
    DeviceRegistry registry = node.context().getBean(DeviceRegistry.class);
    Instant since = Instant.now().minus(Duration.ofDays(1));
    List<MqttIngestBenchmark.BenchDevice> registered = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      String patient = String.format("%spatient-%04d", node.names(), i);
      String device = String.format("%smonitor-%04d", node.names(), i);
      patients.save(
          new Patient(
              patient,
              (node.names() + i).toUpperCase(java.util.Locale.ROOT),
              "Bench",
              "Patient " + i,
              Optional.of(LocalDate.of(1960, 1, 1)),
              "unknown",
              Optional.of("Bench ward"),
              Optional.of("Bed " + i),
              Instant.now()));
      String token = registry.register(device, "bedside-monitor", "Bench monitor " + i).token();
      registry.assign(device, patient, since);
      registered.add(new MqttIngestBenchmark.BenchDevice(device, token));
    }
    return registered;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
