package org.vigil.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.vigil.node.NodeProperties;
import org.vigil.simulate.DeviceKind;
import org.vigil.simulate.SimulatedDevice;
import org.vigil.simulate.WardSimulator;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code vigil demo}: once the server is up, seeds the ward, writes the credentials file, prints
 * where everything is, and starts the simulated devices talking to the server over HTTP.
 */
@Component
@ConditionalOnProperty(name = "vigil.demo.enabled", havingValue = "true")
class DemoRunner implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

  static final String CREDENTIALS_FILE = "demo-credentials.json";
  private static final Logger log = LoggerFactory.getLogger(DemoRunner.class);

  private final DemoWard ward;
  private final DemoProperties demo;
  private final NodeProperties node;
  private final Environment environment;
  private final JsonMapper json = JsonMapper.builder().build();
  private final NurseRounds rounds;
  private WardSimulator simulator;
  private java.util.concurrent.ScheduledExecutorService roundsTimer;

  DemoRunner(
      DemoWard ward,
      DemoProperties demo,
      NodeProperties node,
      Environment environment,
      org.vigil.log.IngestLog log,
      org.vigil.measurement.MeasurementIds ids) {
    this.ward = ward;
    this.demo = demo;
    this.node = node;
    this.environment = environment;
    this.rounds = new NurseRounds(log, ids, Clock.systemUTC());
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    int httpPort = environment.getRequiredProperty("local.server.port", Integer.class);
    Path file = node.dataDir().resolve(CREDENTIALS_FILE);
    DemoCredentials credentials = ward.prepare(demo.patients(), urls(httpPort), read(file));
    write(file, credentials);
    List<SimulatedDevice> devices =
        credentials.devices().stream()
            .map(d ->
                new SimulatedDevice(
                    d.deviceId(), d.token(), d.patientId(), DeviceKind.ofType(d.type())))
            .toList();
    simulator =
        new WardSimulator(
            URI.create("http://127.0.0.1:" + httpPort), devices, demo.seed(), Clock.systemUTC());
    simulator.start();
    startNurseRounds(devices.stream().map(SimulatedDevice::patientId).distinct().toList());
    System.out.printf(
        "%nVigil demo is running: %d patients on %s, %d devices streaming vital signs.%n"
            + "  Web app      %s%n"
            + "  FHIR API     %s%n"
            + "  Credentials  %s  (users, the %s client, device tokens)%n"
            + "The demo nurse records consciousness (ACVPU) and air/oxygen for every patient every"
            + " %d hours, so that NEWS2 is complete.%n%n",
        demo.patients(),
        DemoWard.WARD,
        devices.size(),
        credentials.urls().get("web"),
        credentials.urls().get("fhir"),
        file.toAbsolutePath(),
        DemoWard.INTEGRATION_CLIENT,
        NurseRounds.EVERY.toHours());
  }

  private void startNurseRounds(List<String> patientIds) {
    roundsTimer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "demo-nurse-rounds"));
    roundsTimer.scheduleAtFixedRate(
        () -> {
          try {
            rounds.round(DemoWard.NURSE, patientIds);
          } catch (Exception e) {
            log.warn("The demo nurse's observation round was not recorded: {}", e.toString());
          }
        },
        0,
        NurseRounds.EVERY.toSeconds(),
        java.util.concurrent.TimeUnit.SECONDS);
  }

  private Map<String, String> urls(int httpPort) {
    String host = demo.host();
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("web", "http://" + host + ":" + httpPort + "/");
    urls.put("fhir", "http://" + host + ":" + httpPort + "/fhir");
    String httpsPort = environment.getProperty("vigil.https.port", "0");
    if (!httpsPort.equals("0")) {
      urls.put("https", "https://" + host + ":" + httpsPort + "/");
    }
    urls.put("mqtt", "mqtt://" + host + ":" + environment.getProperty("vigil.mqtt.port", "1883"));
    urls.put(
        "mqtts", "mqtts://" + host + ":" + environment.getProperty("vigil.mqtt.tls-port", "8883"));
    urls.put("mllp", "mllp://" + host + ":" + environment.getProperty("vigil.mllp.port", "2575"));
    return urls;
  }

  private Optional<DemoCredentials> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(file.toFile(), DemoCredentials.class));
    } catch (RuntimeException e) {
      log.warn("Could not read {} ({}); issuing new demo credentials", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** Written to a temporary file and moved into place, so a crash never leaves half a file. */
  private void write(Path file, DemoCredentials credentials) {
    try {
      Files.createDirectories(file.getParent());
      Path temporary =
          Files.createTempFile(
              file.getParent(),
              ".demo-credentials",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      json.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), credentials);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The simulated devices go quiet first, before the server stops taking requests. */
  @EventListener(ContextClosedEvent.class)
  void stopSimulator() {
    destroy();
  }

  @Override
  public void destroy() {
    if (roundsTimer != null) {
      roundsTimer.shutdownNow();
    }
    if (simulator != null) {
      simulator.close();
    }
  }
}
