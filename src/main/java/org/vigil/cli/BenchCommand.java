package org.vigil.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.VigilApplication;
import org.vigil.bench.MqttIngestBenchmark;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure Vigil on this machine. 'mqtt': sustained durable MQTT ingest (QoS 1), readings"
            + " per second and publish-to-PUBACK latency, against a node started in this process on"
            + " an embedded database in a temporary directory. Client and server share the machine.")
final class BenchCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "What to measure: mqtt.")
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

  @Override
  public Integer call() throws Exception {
    if (!what.equals("mqtt")) {
      System.err.println("vigil: unknown benchmark '" + what + "'; try: mqtt");
      return 2;
    }
    Path dataDir = Files.createTempDirectory("vigil-bench");
    int mqttPort = freePort();
    List<String> args = new ArrayList<>();
    if (!dbUrl.isBlank()) {
      args.add("--vigil.db.url=" + dbUrl);
    }
    args.add("--vigil.ingest-log.workers=" + workers);
    args.addAll(
        List.of(
            "--server.port=0",
            "--vigil.data-dir=" + dataDir,
            "--vigil.mqtt.port=" + mqttPort,
            "--vigil.mqtt.tls-port=0",
            "--vigil.mllp.port=0",
            // The benchmark measures the pipeline, not the per-device rate limit.
            "--vigil.ingest.max-messages-per-second=1000000",
            "--vigil.ingest.burst=1000000",
            "--spring.main.banner-mode=off",
            "--logging.level.root=warn"));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "mqtt-ingest");
    report.put("date", Instant.now().toString());
    report.put("machine", MqttIngestBenchmark.Machine.current());
    report.put("database", dbUrl.isBlank() ? "embedded H2" : "PostgreSQL");
    report.put("storeWriters", workers);
    List<MqttIngestBenchmark.Result> results = new ArrayList<>();
    try (ConfigurableApplicationContext node =
        new SpringApplication(VigilApplication.class).run(args.toArray(String[]::new))) {
      List<MqttIngestBenchmark.BenchDevice> benchDevices = register(node);
      System.out.printf(
          "Vigil MQTT ingest benchmark: %d devices, %d in flight each, %s warm-up, %s measured,"
              + " %s, %d store writer(s)%n",
          devices,
          inFlight,
          warmup,
          duration,
          dbUrl.isBlank() ? "embedded H2" : dbUrl.replaceAll("//[^@/]*@", "//"),
          workers);
      System.out.printf(
          "%-10s %12s %14s %9s %9s %9s %9s %7s%n",
          "readings", "messages/s", "readings/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors");
      for (int perMessage : readingsPerMessage) {
        var result =
            new MqttIngestBenchmark(
                    new MqttIngestBenchmark.Settings(
                        "127.0.0.1",
                        mqttPort,
                        benchDevices,
                        perMessage,
                        inFlight,
                        warmup,
                        duration))
                .run();
        results.add(result);
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
      }
    }
    report.put("results", results);
    if (json != null) {
      JsonMapper.builder()
          .build()
          .writerWithDefaultPrettyPrinter()
          .writeValue(json.toFile(), report);
      System.out.println("results written to " + json);
    }
    return 0;
  }

  private List<MqttIngestBenchmark.BenchDevice> register(ConfigurableApplicationContext node) {
    PatientRepository patients = node.getBean(PatientRepository.class);
    DeviceRegistry registry = node.getBean(DeviceRegistry.class);
    Instant since = Instant.now().minus(Duration.ofDays(1));
    List<MqttIngestBenchmark.BenchDevice> registered = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      String patient = String.format("bench-patient-%04d", i);
      String device = String.format("bench-monitor-%04d", i);
      patients.save(
          new Patient(
              patient,
              "BENCH-" + i,
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
