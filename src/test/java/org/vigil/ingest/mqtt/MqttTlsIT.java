package org.vigil.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceCertificateAuthority;
import org.vigil.device.DeviceCommandChannel;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.Command;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.TlsProbe;
import org.vigil.testsupport.VigilProcess;
import org.vigil.testsupport.VigilServerTest;

/**
 * MQTT with clients no one here wrote — Debian's mosquitto_pub and mosquitto_sub — over plain MQTT
 * with a token and over TLS with a device certificate that {@code ./vigil devices cert} issued (run
 * as a separate process against the running node's data directory); refused with a wrong token, a
 * certificate from another CA, an expired or a revoked one, and below TLS 1.2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttTlsIT extends VigilServerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired MeasurementStore store;
  @Autowired DeviceCertificateAuthority certificates;
  @Autowired DeviceCommandChannel commands;

  @TempDir Path certs;
  private String token;

  @BeforeAll
  void registerDevicesAndIssueCertificates() {
    TestWard ward = new TestWard(patients, devices);
    token = ward.device("tls-dev-1", "pulse-oximeter", "tls-patient-1");
    ward.device("tls-dev-2", "pulse-oximeter", "tls-patient-2");
  }

  private Path issueWithTheCli(String deviceId, Path out) {
    VigilProcess.Result result =
        VigilProcess.run(
            Duration.ofSeconds(90),
            "devices",
            "cert",
            deviceId,
            "--data-dir",
            DATA_DIR.toString(),
            "--out",
            out.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("certificate serial");
    return out;
  }

  private static String reading(double value, Instant time) {
    return "{\"time\":\""
        + time
        + "\",\"measurements\":[{\"code\":\"59408-5\",\"value\":"
        + value
        + ",\"unit\":\"%\"}]}";
  }

  private long stored(String patient, Instant time) {
    return store.count(
        MeasurementQuery.forPatient(patient)
            .withCodes(Set.of("59408-5"))
            .between(java.util.Optional.of(time), java.util.Optional.of(time)));
  }

  private static List<String> tlsPublish(
      Path dir, String certName, String deviceId, String topic, String message, String... extra) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "mosquitto_pub",
                "-h",
                "localhost",
                "-p",
                String.valueOf(MQTTS_PORT),
                "--cafile",
                dir.resolve("ca.crt").toString(),
                "--cert",
                dir.resolve(certName + ".crt").toString(),
                "--key",
                dir.resolve(certName + ".key").toString(),
                "-i",
                deviceId + "-pub",
                "-q",
                "1",
                "-t",
                topic,
                "-m",
                message));
    command.addAll(List.of(extra));
    return command;
  }

  @Test
  void aTokenOverPlainMqttWorksAndAWrongOneIsRefused() {
    Instant time = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
    List<String> base =
        List.of(
            "mosquitto_pub",
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(MQTT_PORT),
            "-V",
            "mqttv311",
            "-i",
            "tls-dev-1-plain",
            "-u",
            "tls-dev-1",
            "-q",
            "1",
            "-t",
            "devices/tls-dev-1/messages",
            "-m",
            reading(96, time));
    List<String> good = new ArrayList<>(base);
    good.addAll(List.of("-P", token));
    Command.Result ok = Command.run(TIMEOUT, good);
    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(stored("tls-patient-1", time)).isEqualTo(1);

    List<String> wrong = new ArrayList<>(base);
    wrong.addAll(List.of("-P", "vgd_wrong"));
    Command.Result refused = Command.run(TIMEOUT, wrong);
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).containsIgnoringCase("refused");
  }

  @Test
  void aDeviceCertificateFromTheCliAuthenticatesOverTls() throws Exception {
    Path dir = issueWithTheCli("tls-dev-1", certs.resolve("good"));
    assertThat(dir.resolve("tls-dev-1.key")).exists();
    assertThat(Files.getPosixFilePermissions(dir.resolve("tls-dev-1.key")).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    Instant time = Instant.now().minusSeconds(3).truncatedTo(ChronoUnit.MILLIS);

    Command.Result published =
        Command.run(
            TIMEOUT,
            tlsPublish(
                dir, "tls-dev-1", "tls-dev-1", "devices/tls-dev-1/messages", reading(95, time)));

    assertThat(published.exitCode()).as(published.output()).isZero();
    assertThat(stored("tls-patient-1", time)).isEqualTo(1);
  }

  @Test
  void mosquittoSubReceivesTheDevicesCommandsOverTls() throws Exception {
    Path dir = issueWithTheCli("tls-dev-2", certs.resolve("sub"));
    Path output = certs.resolve("sub-output.txt");
    Process subscriber =
        Command.start(
            List.of(
                "mosquitto_sub",
                "-h",
                "localhost",
                "-p",
                String.valueOf(MQTTS_PORT),
                "--cafile",
                dir.resolve("ca.crt").toString(),
                "--cert",
                dir.resolve("tls-dev-2.crt").toString(),
                "--key",
                dir.resolve("tls-dev-2.key").toString(),
                "-i",
                "tls-dev-2-sub",
                "-q",
                "1",
                "-t",
                "devices/tls-dev-2/commands/#",
                "-C",
                "1",
                "-W",
                "20",
                "-v"),
            output);
    try {
      // The subscription is in place once the broker reports the client connected.
      Instant deadline = Instant.now().plusSeconds(15);
      boolean delivered = false;
      while (!delivered && Instant.now().isBefore(deadline)) {
        commands
            .send(
                "tls-dev-2", "measure-now", "{\"vital\":\"spo2\"}".getBytes(StandardCharsets.UTF_8))
            .get(5, TimeUnit.SECONDS);
        delivered = subscriber.waitFor(500, TimeUnit.MILLISECONDS);
      }
      assertThat(delivered).as("mosquitto_sub got a command").isTrue();
      assertThat(subscriber.exitValue()).isZero();
      assertThat(Files.readString(output))
          .contains("devices/tls-dev-2/commands/measure-now {\"vital\":\"spo2\"}");
    } finally {
      subscriber.destroyForcibly();
    }
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() throws Exception {
    Path dir = certs.resolve("foreign");
    Files.createDirectories(dir);
    Files.copy(DATA_DIR.resolve("ca/ca.crt"), dir.resolve("ca.crt"));
    Command.Result made =
        Command.run(
            TIMEOUT,
            List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-subj",
                "/CN=tls-dev-1",
                "-days",
                "1",
                "-keyout",
                dir.resolve("foreign.key").toString(),
                "-out",
                dir.resolve("foreign.crt").toString()));
    assertThat(made.exitCode()).as(made.output()).isZero();

    Command.Result refused =
        Command.run(
            TIMEOUT,
            tlsPublish(
                dir,
                "foreign",
                "tls-dev-1",
                "devices/tls-dev-1/messages",
                reading(90, Instant.now())));

    assertThat(refused.exitCode()).isNotZero();
  }

  @Test
  void aRevokedCertificateIsRefusedFromTheNextConnect() throws Exception {
    Path dir = issueWithTheCli("tls-dev-1", certs.resolve("revoked"));
    Instant before = Instant.now().minusSeconds(4).truncatedTo(ChronoUnit.MILLIS);
    assertThat(
            Command.run(
                    TIMEOUT,
                    tlsPublish(
                        dir,
                        "tls-dev-1",
                        "tls-dev-1",
                        "devices/tls-dev-1/messages",
                        reading(94, before)))
                .exitCode())
        .isZero();

    String serial = certificates.serials("tls-dev-1").getFirst();
    VigilProcess.Result revoked =
        VigilProcess.run(
            Duration.ofSeconds(90),
            "devices",
            "revoke-cert",
            serial,
            "--data-dir",
            DATA_DIR.toString());
    assertThat(revoked.exitCode()).as(revoked.stderr()).isZero();

    Instant after = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    Command.Result refused =
        Command.run(
            TIMEOUT,
            tlsPublish(
                dir, "tls-dev-1", "tls-dev-1", "devices/tls-dev-1/messages", reading(93, after)));
    assertThat(refused.exitCode()).isNotZero();
    assertThat(stored("tls-patient-1", after)).isZero();
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    var expired = certificates.issue("tls-dev-2", Duration.ofMinutes(-1));
    Path dir = certs.resolve("expired");
    DeviceCertificateAuthority.write(expired, dir);

    Command.Result refused =
        Command.run(
            TIMEOUT,
            tlsPublish(
                dir,
                "tls-dev-2",
                "tls-dev-2",
                "devices/tls-dev-2/messages",
                reading(92, Instant.now())));

    assertThat(refused.exitCode()).isNotZero();
  }

  @Test
  void onlyTls12AndLaterAreSpoken() {
    assertThat(TlsProbe.handshake(MQTTS_PORT, "1_1", null)).contains("alert protocol version");
    assertThat(TlsProbe.connects(MQTTS_PORT, "1_2", null)).isTrue();
    assertThat(TlsProbe.connects(MQTTS_PORT, "1_3", null)).isTrue();
  }
}
