package org.vigil.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that runs a Vigil node shares. */
final class ServerOptions {

  enum LogFormat {
    text,
    json
  }

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description = "HTTP port: web app, FHIR API, REST API (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--mqtt-port",
      defaultValue = "1883",
      description = "MQTT port for devices (default: ${DEFAULT-VALUE}).")
  int mqttPort;

  @Option(
      names = "--mqtts-port",
      defaultValue = "8883",
      description = "MQTT over TLS port for devices (default: ${DEFAULT-VALUE}).")
  int mqttsPort;

  @Option(
      names = "--mllp-port",
      defaultValue = "2575",
      description =
          "HL7 v2 MLLP port for bedside monitors and gateways (default: ${DEFAULT-VALUE}).")
  int mllpPort;

  @Option(
      names = "--data-dir",
      defaultValue = "./vigil-data",
      description = "Database (embedded mode), keys and credentials (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--db-url",
      defaultValue = "",
      description =
          "JDBC URL of a PostgreSQL database, e.g. jdbc:postgresql://db:5432/vigil;"
              + " empty: embedded H2 under the data directory.")
  String dbUrl;

  @Option(names = "--db-user", defaultValue = "", description = "Database user.")
  String dbUser;

  @Option(
      names = "--db-password",
      defaultValue = "",
      description = "Database password (or set VIGIL_DB_PASSWORD).")
  String dbPassword;

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description = "Log format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  @Option(
      names = "--mqtt-broker",
      defaultValue = "",
      description =
          "Use an existing MQTT broker instead of the embedded one, e.g. tcp://broker:1883;"
              + " Vigil then takes device messages through a shared subscription.")
  String mqttBroker;

  /** The listeners this node opens, each with the option that moves it. */
  List<PortCheck.Listener> listeners() {
    List<PortCheck.Listener> listeners = new ArrayList<>();
    listeners.add(new PortCheck.Listener("--http-port", httpPort));
    if (mqttBroker.isBlank()) {
      listeners.add(new PortCheck.Listener("--mqtt-port", mqttPort));
      listeners.add(new PortCheck.Listener("--mqtts-port", mqttsPort));
    }
    return listeners;
  }

  /** Spring Boot arguments; command-line arguments outrank every configuration file. */
  List<String> springArguments() {
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + httpPort);
    args.add("--vigil.data-dir=" + dataDir.toAbsolutePath().normalize());
    args.add("--vigil.mqtt.port=" + mqttPort);
    args.add("--vigil.mqtt.tls-port=" + mqttsPort);
    if (!mqttBroker.isBlank()) {
      args.add("--vigil.mqtt.broker=" + mqttBroker);
    }
    args.add("--vigil.mllp.port=" + mllpPort);
    if (!dbUrl.isBlank()) {
      args.add("--vigil.db.url=" + dbUrl);
    }
    if (!dbUser.isBlank()) {
      args.add("--vigil.db.user=" + dbUser);
    }
    String password = dbPassword.isBlank() ? System.getenv("VIGIL_DB_PASSWORD") : dbPassword;
    if (password != null && !password.isBlank()) {
      args.add("--vigil.db.password=" + password);
    }
    if (logFormat == LogFormat.json) {
      args.add("--logging.config=classpath:vigil-logback-json.xml");
      args.add("--logging.structured.format.console=ecs");
    }
    return args;
  }
}
