package org.vigil.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
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
      names = "--https-port",
      defaultValue = "8443",
      description =
          "HTTPS port (TLS 1.2+; a certificate from Vigil's own CA unless vigil.https.keystore is"
              + " set; 0 turns it off) (default: ${DEFAULT-VALUE}).")
  int httpsPort;

  @Option(
      names = "--mllp-port",
      defaultValue = "2575",
      description =
          "HL7 v2 MLLP port for bedside monitors and gateways (default: ${DEFAULT-VALUE}).")
  int mllpPort;

  @Option(
      names = "--mqtt-broker",
      defaultValue = "",
      description =
          "Use an existing MQTT broker instead of the embedded one, e.g. tcp://broker:1883;"
              + " Vigil then takes device messages through a shared subscription.")
  String mqttBroker;

  @Option(
      names = "--oidc-issuer",
      defaultValue = "",
      description =
          "Trust this OpenID Connect issuer (e.g. https://keycloak.hospital/realms/icu) instead of"
              + " Vigil's own authorization server; its tokens' roles and user names map to Vigil's.")
  String oidcIssuer;

  @Option(
      names = "--ice-servers",
      split = ",",
      paramLabel = "URL",
      description =
          "STUN/TURN servers the browsers of a video visit use to reach each other, e.g."
              + " stun:stun.hospital.org:3478,turn:turn.hospital.org:3478 (TURN credentials:"
              + " vigil.telemedicine.turn-username and turn-credential); none by default, which"
              + " suffices on one network.")
  List<String> iceServers = new ArrayList<>();

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description = "Log format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  @Mixin StorageOptions storage = new StorageOptions();

  /** The listeners this node opens, each with the option that moves it. */
  List<PortCheck.Listener> listeners() {
    List<PortCheck.Listener> listeners = new ArrayList<>();
    listeners.add(new PortCheck.Listener("--http-port", httpPort));
    if (httpsPort > 0) {
      listeners.add(new PortCheck.Listener("--https-port", httpsPort));
    }
    if (mqttBroker.isBlank()) {
      listeners.add(new PortCheck.Listener("--mqtt-port", mqttPort));
      listeners.add(new PortCheck.Listener("--mqtts-port", mqttsPort));
    }
    listeners.add(new PortCheck.Listener("--mllp-port", mllpPort));
    return listeners;
  }

  /** Spring Boot arguments; command-line arguments outrank every configuration file. */
  List<String> springArguments() {
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + httpPort);
    args.add("--vigil.https.port=" + httpsPort);
    args.add("--vigil.mqtt.port=" + mqttPort);
    args.add("--vigil.mqtt.tls-port=" + mqttsPort);
    args.add("--vigil.mllp.port=" + mllpPort);
    if (!mqttBroker.isBlank()) {
      args.add("--vigil.mqtt.broker=" + mqttBroker);
    }
    if (!oidcIssuer.isBlank()) {
      args.add("--vigil.security.oidc.issuer=" + oidcIssuer);
    }
    if (!iceServers.isEmpty()) {
      args.add("--vigil.telemedicine.ice-servers=" + String.join(",", iceServers));
    }
    args.addAll(storage.springArguments());
    if (logFormat == LogFormat.json) {
      args.add("--logging.config=classpath:vigil-logback-json.xml");
      args.add("--logging.structured.format.console=ecs");
    }
    return args;
  }
}
