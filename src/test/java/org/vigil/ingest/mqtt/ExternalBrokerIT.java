package org.vigil.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vigil.device.DeviceCommandChannel;
import org.vigil.device.DeviceRegistry;
import org.vigil.ingest.DeadLetters;
import org.vigil.patient.PatientRepository;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.Command;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilProcess;

/**
 * External-broker mode against the real Mosquitto on 127.0.0.1:1883 (.ci/run starts one where
 * absent): devices publish to Mosquitto with mosquitto_pub, Vigil takes the messages through a
 * shared subscription — splitting them with another member of the group — and sends commands back
 * through the broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalBrokerIT {

  static final String MOSQUITTO =
      System.getenv().getOrDefault("VIGIL_TEST_MOSQUITTO", "127.0.0.1:1883");
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  static final String GROUP = "vigil-it-" + RUN;

  @DynamicPropertySource
  static void externalBroker(DynamicPropertyRegistry registry) throws Exception {
    registry.add("vigil.data-dir", () -> tempDir().toString());
    registry.add("vigil.mqtt.broker", () -> "tcp://" + MOSQUITTO);
    registry.add("vigil.mqtt.shared-group", () -> GROUP);
    registry.add("vigil.mqtt.broker-session-expiry", () -> "PT1M");
    registry.add("vigil.mllp.port", VigilProcess::freePort);
  }

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired MeasurementStore store;
  @Autowired DeadLetters deadLetters;
  @Autowired DeviceCommandChannel commands;

  private final String device = "ext-" + RUN;
  private final String patient = "ext-patient-" + RUN;

  @BeforeAll
  void registerDevice() {
    new TestWard(patients, devices).device(device, "pulse-oximeter", patient);
  }

  private List<String> publish(String topic, String message) {
    String[] hostPort = MOSQUITTO.split(":");
    return List.of(
        "mosquitto_pub",
        "-h",
        hostPort[0],
        "-p",
        hostPort[1],
        "-q",
        "1",
        "-t",
        topic,
        "-m",
        message);
  }

  private static String reading(double value, Instant time) {
    return "{\"time\":\""
        + time
        + "\",\"measurements\":[{\"code\":\"59408-5\",\"value\":"
        + value
        + ",\"unit\":\"%\"}]}";
  }

  private long stored() {
    return store.count(MeasurementQuery.forPatient(patient).withCodes(Set.of("59408-5")));
  }

  @Test
  void readingsPublishedToMosquittoAreStoredAndSharedWithTheGroup() throws Exception {
    String[] hostPort = MOSQUITTO.split(":");
    AtomicInteger otherMember = new AtomicInteger();
    Mqtt5AsyncClient member =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("other-member-" + RUN)
            .serverHost(hostPort[0])
            .serverPort(Integer.parseInt(hostPort[1]))
            .buildAsync();
    member.connect().get(10, TimeUnit.SECONDS);
    member
        .subscribeWith()
        .topicFilter("$share/" + GROUP + "/devices/+/messages")
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> otherMember.incrementAndGet())
        .send()
        .get(10, TimeUnit.SECONDS);
    try {
      long before = stored();
      Instant base = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
      int sent = 40;
      for (int i = 0; i < sent; i++) {
        Command.Result result =
            Command.run(
                Duration.ofSeconds(10),
                publish(
                    "devices/" + device + "/messages", reading(90 + i % 10, base.plusMillis(i))));
        assertThat(result.exitCode()).as(result.output()).isZero();
      }

      awaitUntil(() -> stored() - before + otherMember.get() == sent);
      assertThat(stored() - before).as("taken by Vigil").isPositive();
      assertThat(otherMember.get()).as("taken by the other member of the group").isPositive();
    } finally {
      member.disconnect();
    }
  }

  @Test
  void messagesOfUnknownDevicesBecomeDeadLetters() throws Exception {
    long before = deadLetters.count();
    Command.Result result =
        Command.run(
            Duration.ofSeconds(10),
            publish("devices/unknown-" + RUN + "/messages", reading(97, Instant.now())));
    assertThat(result.exitCode()).isZero();

    awaitUntil(() -> deadLetters.count() > before);
    assertThat(deadLetters.list(Optional.of("unknown-" + RUN), 0, 1))
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("registered device"));
  }

  @Test
  void commandsReachTheDeviceThroughTheBroker() throws Exception {
    String[] hostPort = MOSQUITTO.split(":");
    Path output = Files.createTempFile("ext-sub", ".txt");
    Process subscriber =
        Command.start(
            List.of(
                "mosquitto_sub",
                "-h",
                hostPort[0],
                "-p",
                hostPort[1],
                "-q",
                "1",
                "-t",
                "devices/" + device + "/commands/#",
                "-C",
                "1",
                "-W",
                "20",
                "-v"),
            output);
    try {
      Instant deadline = Instant.now().plusSeconds(15);
      boolean delivered = false;
      while (!delivered && Instant.now().isBefore(deadline)) {
        commands
            .send(device, "sync-clock", "{}".getBytes(StandardCharsets.UTF_8))
            .get(5, TimeUnit.SECONDS);
        delivered = subscriber.waitFor(500, TimeUnit.MILLISECONDS);
      }
      assertThat(delivered).isTrue();
      assertThat(Files.readString(output))
          .contains("devices/" + device + "/commands/sync-clock {}");
    } finally {
      subscriber.destroyForcibly();
    }
  }

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(50); // messages travel through another process (Mosquitto): nothing to join
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("vigil-external-broker");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
