package org.vigil.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vigil.simulate.CredentialsFile;
import org.vigil.simulate.GroundTruth;
import org.vigil.simulate.MqttTls;
import org.vigil.simulate.Scenario;
import org.vigil.simulate.ScenarioReader;
import org.vigil.simulate.Simulation;
import org.vigil.simulate.Summary;
import org.vigil.simulate.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Play a scenario — patients, their devices, scripted clinical episodes and device faults —"
          + " against a running Vigil over its real transports (HTTP ingest, MQTT, HL7 v2 over"
          + " MLLP), with the"
          + " devices' own credentials. Runs --speed times faster than real time with timestamps"
          + " to match, writes the scenario's ground truth, and ends with a summary of what was"
          + " sent, accepted and refused. Exit code 0 when every message got the answer it"
          + " should (readings accepted, garbage refused), 1 otherwise, 2 for bad input.",
      "Scenario format, episodes and faults: docs/SIMULATOR.md."
    })
final class SimulateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SCENARIO",
      description = "A scenario file (JSON), or a built-in scenario: small-ward, home-monitoring.")
  String scenario;

  @Option(
      names = "--credentials",
      required = true,
      paramLabel = "FILE",
      description =
          "The devices' ids, tokens and patients, as './vigil demo' writes them"
              + " (vigil-data/demo-credentials.json).")
  Path credentials;

  @Option(
      names = "--target",
      paramLabel = "URL",
      description = "The Vigil for HTTP devices, e.g. http://localhost:8080.")
  URI target;

  @Option(
      names = "--mqtt",
      paramLabel = "URL",
      description =
          "The MQTT broker for MQTT and GATT devices, e.g. tcp://localhost:1883, or"
              + " mqtts://localhost:8883 for TLS.")
  URI mqtt;

  @Option(
      names = "--mqtt-ca",
      paramLabel = "FILE",
      description =
          "With mqtts://: the CA to trust, PEM (the ca.crt of ./vigil devices cert); the JDK's"
              + " trust store without it.")
  Path mqttCa;

  @Option(
      names = "--client-certs",
      paramLabel = "DIR",
      description =
          "With mqtts://: mutual TLS — a device with <id>.crt and <id>.key here (./vigil devices"
              + " cert --out DIR) connects with its certificate instead of its token.")
  Path clientCerts;

  @Option(
      names = "--mllp",
      paramLabel = "URL",
      description = "Vigil's HL7 v2 MLLP listener for MLLP devices, e.g. mllp://localhost:2575.")
  URI mllp;

  @Option(
      names = "--transport",
      paramLabel = "http|mqtt|mllp|gatt",
      description = "Play every device over this transport, whatever the scenario says.")
  String transport;

  @Option(
      names = "--speed",
      defaultValue = "1",
      description =
          "Simulated seconds per real second (default: ${DEFAULT-VALUE}); 1440 plays a day in a"
              + " minute.")
  double speed;

  @Option(
      names = "--start",
      paramLabel = "INSTANT",
      description =
          "The simulated clock's start, e.g. 2026-11-24T08:00:00Z. Default: now at --speed 1;"
              + " faster, now minus the scenario's length, so that no reading is in the future.")
  Instant start;

  @Option(names = "--seed", description = "Overrides the scenario's seed.")
  Long seed;

  @Option(
      names = "--interval",
      paramLabel = "VITAL=DURATION",
      description =
          "How often devices report a vital, e.g. --interval heartRate=PT5S --interval"
              + " systolic=PT30M. Vitals: heartRate, oxygenSaturation, respiratoryRate, systolic,"
              + " diastolic, temperature, glucose, weight.")
  Map<String, Duration> intervals = new LinkedHashMap<>();

  @Option(
      names = "--ground-truth",
      paramLabel = "FILE",
      description = "Write the episodes (patient, onset, end) and device faults here, as JSON.")
  Path groundTruth;

  @Option(
      names = "--max-readings-per-message",
      defaultValue = "1000",
      description =
          "The target's vigil.ingest.max-readings-per-message (default: ${DEFAULT-VALUE}).")
  int maxReadingsPerMessage;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "Messages in flight at once, over all devices (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--drain",
      defaultValue = "PT60S",
      description =
          "How long to wait for the last answers once the scenario is over (default:"
              + " ${DEFAULT-VALUE}).")
  Duration drain;

  private static Transport transport(String name) {
    try {
      return Transport.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--transport: " + e.getMessage(), e);
    }
  }

  /** Vigil refuses readings dated further ahead than this (vigil.ingest.max-future-skew). */
  private static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

  @Override
  public Integer call() throws Exception {
    // No server, so no Spring to configure logging: warnings only, before anything logs.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "vigil-cli-logback.xml");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Simulation simulation;
    Scenario played;
    try {
      if (!(speed > 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("--speed: must be a positive number");
      }
      played = new ScenarioReader().read(scenario);
      Optional<Transport> override = Optional.ofNullable(transport).map(SimulateCommand::transport);
      Instant now = Instant.now();
      Instant from = start != null ? start : Simulation.defaultStart(now, played, speed);
      Duration ahead = Simulation.aheadOfTimeAtEnd(now, from, played, speed);
      if (ahead.compareTo(MAX_FUTURE_SKEW) > 0) {
        err.printf(
            "vigil: with --start %s at --speed %s the last readings would be dated %s ahead of"
                + " the clock, and Vigil refuses readings more than %s ahead; start earlier%n",
            from, speed, ahead, MAX_FUTURE_SKEW);
        return 2;
      }
      simulation =
          Simulation.of(
              played,
              CredentialsFile.read(credentials),
              override,
              new Simulation.Settings(
                  from,
                  speed,
                  Optional.ofNullable(seed),
                  intervals,
                  maxReadingsPerMessage,
                  concurrency),
              Optional.ofNullable(target),
              Optional.ofNullable(mqtt),
              Optional.ofNullable(mllp),
              new MqttTls(Optional.ofNullable(mqttCa), Optional.ofNullable(clientCerts)));
    } catch (IllegalArgumentException e) {
      err.println("vigil: " + e.getMessage());
      return 2;
    }
    try (simulation) {
      GroundTruth truth = simulation.groundTruth();
      if (groundTruth != null) {
        truth.write(groundTruth);
      }
      out.printf(
          "Playing %s: %s to %s (simulated) at %s× real time, %d episode(s)%s%n",
          played.name(),
          truth.start(),
          truth.end(),
          speed,
          truth.episodes().size(),
          groundTruth != null ? "; ground truth in " + groundTruth : "");
      for (GroundTruth.EpisodeTruth e : truth.episodes()) {
        out.printf("  %-20s %-14s %s – %s%n", e.type(), e.patientId(), e.onset(), e.end());
      }
      Summary summary = simulation.run(drain);
      out.print(summary.text());
      out.flush();
      return summary.clean() ? 0 : 1;
    }
  }
}
