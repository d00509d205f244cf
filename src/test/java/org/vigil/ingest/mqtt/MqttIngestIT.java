package org.vigil.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceCommandChannel;
import org.vigil.device.DeviceHealth;
import org.vigil.device.DeviceRegistry;
import org.vigil.ingest.DeadLetters;
import org.vigil.ingest.DeviceEvents;
import org.vigil.patient.PatientRepository;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilServerTest;

/**
 * The MQTT transport through the embedded broker, driven by a real MQTT client (HiveMQ's, for MQTT
 * 5 reason codes and MQTT 3.1.1 behaviour): readings acknowledged only once durable, errors as
 * reason codes, dead letters, the topic rules, status, last will, events and commands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttIngestIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired MeasurementStore store;
  @Autowired DeviceHealth health;
  @Autowired DeviceEvents events;
  @Autowired DeadLetters deadLetters;
  @Autowired DeviceCommandChannel commands;

  private TestWard ward;
  private String token;
  private String otherToken;
  private String v3Token;

  @BeforeAll
  void registerDevices() {
    ward = new TestWard(patients, devices);
    token = ward.device("mq-monitor-1", "bedside-monitor", "mq-patient-1");
    otherToken = ward.device("mq-monitor-2", "bedside-monitor", "mq-patient-2");
    v3Token = ward.device("mq-monitor-3", "bedside-monitor", "mq-patient-3");
  }

  private Mqtt5BlockingClient v5(String deviceId, String password) {
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(deviceId + "-" + System.nanoTime())
            .serverHost("127.0.0.1")
            .serverPort(MQTT_PORT)
            .simpleAuth()
            .username(deviceId)
            .password(password.getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildBlocking();
    client.connect();
    return client;
  }

  private Mqtt3BlockingClient v3(String deviceId, String password) {
    Mqtt3BlockingClient client =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(deviceId + "-" + System.nanoTime())
            .serverHost("127.0.0.1")
            .serverPort(MQTT_PORT)
            .simpleAuth()
            .username(deviceId)
            .password(password.getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildBlocking();
    client.connect();
    return client;
  }

  private static Mqtt5PubAck publish(Mqtt5BlockingClient client, String topic, String payload)
      throws Exception {
    return puback(
        client
            .toAsync()
            .publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(payload.getBytes(StandardCharsets.UTF_8))
            .send());
  }

  /** The PUBACK, whether the client reports it as a result or, for error codes, an exception. */
  private static Mqtt5PubAck puback(CompletableFuture<Mqtt5PublishResult> sent) throws Exception {
    try {
      return ((Mqtt5PublishResult.Mqtt5Qos1Result) sent.get(30, TimeUnit.SECONDS)).getPubAck();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Mqtt5PubAckException refused) {
        return refused.getMqttMessage();
      }
      throw e;
    }
  }

  private static Mqtt5PubAckReasonCode reasonCode(Mqtt5PubAck puback) {
    return puback.getReasonCode();
  }

  private static List<Mqtt5SubAckReasonCode> subscribe(Mqtt5BlockingClient client, String filter) {
    try {
      return client.subscribeWith().topicFilter(filter).send().getReasonCodes();
    } catch (Mqtt5SubAckException refused) {
      return refused.getMqttMessage().getReasonCodes();
    }
  }

  private static String reading(String code, double value, String unit, Instant time) {
    return "{\"time\":\""
        + time
        + "\",\"measurements\":[{\"code\":\""
        + code
        + "\",\"value\":"
        + value
        + ",\"unit\":\""
        + unit
        + "\"}]}";
  }

  private long stored(String patient, String code) {
    return store.count(MeasurementQuery.forPatient(patient).withCodes(java.util.Set.of(code)));
  }

  @Test
  void aQos1ReadingIsDurableWhenThePubackArrives() throws Exception {
    Mqtt5BlockingClient client = v5("mq-monitor-1", token);
    try {
      Instant time =
          Instant.now().minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      Mqtt5PubAck result =
          publish(client, "devices/mq-monitor-1/messages", reading("8867-4", 71, "/min", time));

      assertThat(reasonCode(result)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
      // No waiting: the acknowledgement came after the commit.
      var stored =
          store.search(
              MeasurementQuery.forPatient("mq-patient-1")
                  .withCodes(java.util.Set.of("8867-4"))
                  .between(Optional.of(time), Optional.of(time)));
      assertThat(stored)
          .singleElement()
          .satisfies(m -> {
            assertThat(m.value()).isEqualTo(71);
            assertThat(m.deviceId()).isEqualTo("mq-monitor-1");
          });
    } finally {
      client.disconnect();
    }
  }

  @Test
  void aRedeliveredMessageIsStoredOnceAndALateReadingIsAccepted() throws Exception {
    Mqtt5BlockingClient client = v5("mq-monitor-1", token);
    try {
      Instant newer =
          Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      Instant older = newer.minusSeconds(600);
      String message = reading("59408-5", 96, "%", newer);

      // the same message again, as a device resends a QoS 1 message it saw no PUBACK for
      assertThat(reasonCode(publish(client, "devices/mq-monitor-1/messages", message)))
          .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
      assertThat(reasonCode(publish(client, "devices/mq-monitor-1/messages", message)))
          .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
      // then a reading taken ten minutes before, flushed late from the device's buffer
      assertThat(
              reasonCode(
                  publish(
                      client, "devices/mq-monitor-1/messages", reading("59408-5", 93, "%", older))))
          .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

      var stored =
          store.search(
              MeasurementQuery.forPatient("mq-patient-1")
                  .withCodes(java.util.Set.of("59408-5"))
                  .between(Optional.of(older), Optional.of(newer)));
      assertThat(stored)
          .extracting(m -> m.value(), m -> m.effectiveAt())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(96.0, newer),
              org.assertj.core.groups.Tuple.tuple(93.0, older));
    } finally {
      client.disconnect();
    }
  }

  @Test
  void anUnreadableMessageIsADeadLetterWithAReasonCodeForMqtt5() throws Exception {
    Mqtt5BlockingClient client = v5("mq-monitor-1", token);
    try {
      long before = deadLetters.count();
      Mqtt5PubAck result =
          publish(
              client,
              "devices/mq-monitor-1/messages",
              "{\"measurements\":[{\"code\":\"8867-4\"}]}");

      assertThat(reasonCode(result)).isEqualTo(Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
      assertThat(result.getReasonString())
          .hasValueSatisfying(r -> assertThat(r.toString()).contains("measurements[0].value"));
      assertThat(deadLetters.count()).isEqualTo(before + 1);
      assertThat(deadLetters.list(Optional.of("mq-monitor-1"), 0, 1))
          .singleElement()
          .satisfies(d -> {
            assertThat(d.transport()).isEqualTo("mqtt");
            assertThat(d.reason()).contains("measurements[0].value is required");
          });
    } finally {
      client.disconnect();
    }
  }

  @Test
  void mqtt3GetsItsUnreadableMessageAcknowledgedAndDeadLettered() throws Exception {
    Mqtt3BlockingClient client = v3("mq-monitor-3", v3Token);
    try {
      long before = deadLetters.count();
      client
          .publishWith()
          .topic("devices/mq-monitor-3/messages")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("not json".getBytes(StandardCharsets.UTF_8))
          .send();

      assertThat(deadLetters.count()).isEqualTo(before + 1);
      assertThat(client.getState().isConnected()).isTrue();

      Instant time = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      client
          .publishWith()
          .topic("devices/mq-monitor-3/messages")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(reading("9279-1", 15, "/min", time).getBytes(StandardCharsets.UTF_8))
          .send();
      assertThat(stored("mq-patient-3", "9279-1")).isEqualTo(1);
    } finally {
      client.disconnect();
    }
  }

  @Test
  void aDeviceMayNotPublishAsAnotherDevice() throws Exception {
    Mqtt5BlockingClient client = v5("mq-monitor-1", token);
    Mqtt5PubAck result =
        publish(
            client, "devices/mq-monitor-2/messages", reading("8867-4", 99, "/min", Instant.now()));
    assertThat(reasonCode(result)).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(stored("mq-patient-2", "8867-4")).isZero();
    // The broker follows the refusal with a DISCONNECT (NOT_AUTHORIZED), as HiveMQ does for every
    // unauthorised PUBLISH; the client may not have read it yet when the PUBACK arrives.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (client.getState().isConnected() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(client.getState().isConnected()).isFalse();

    Mqtt3BlockingClient v3 = v3("mq-monitor-3", v3Token);
    assertThatThrownBy(() ->
            v3.publishWith()
                .topic("devices/mq-monitor-2/messages")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(
                    reading("8867-4", 99, "/min", Instant.now()).getBytes(StandardCharsets.UTF_8))
                .send())
        .as("MQTT 3.1.1 cannot refuse a PUBLISH: the device is disconnected");
    assertThat(v3.getState().isConnected()).isFalse();
  }

  @Test
  void aDeviceSubscribesOnlyToItsOwnCommands() {
    Mqtt5BlockingClient client = v5("mq-monitor-1", token);
    try {
      assertThat(subscribe(client, "devices/mq-monitor-1/commands/#"))
          .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2);
      assertThat(subscribe(client, "devices/mq-monitor-2/commands/#"))
          .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
      assertThat(subscribe(client, "devices/#"))
          .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    } finally {
      client.disconnect();
    }
  }

  @Test
  void wrongCredentialsAreRefusedAtConnect() {
    assertThatThrownBy(() -> v5("mq-monitor-1", "vgd_wrong"))
        .hasMessageContaining("BAD_USER_NAME_OR_PASSWORD");
    assertThatThrownBy(() -> v5("no-such-device", token))
        .hasMessageContaining("BAD_USER_NAME_OR_PASSWORD");
    assertThatThrownBy(() -> v3("mq-monitor-1", otherToken)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void anUnknownTopicUnderTheDevicesTreeIsRefusedWithAReason() throws Exception {
    Mqtt5BlockingClient client = v5("mq-monitor-1", token);
    try {
      Mqtt5PubAck result = publish(client, "devices/mq-monitor-1/telemetry", "{}");
      assertThat(reasonCode(result)).isEqualTo(Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID);
    } finally {
      client.disconnect();
    }
  }

  @Test
  void statusReportsAndTheLastWillTrackDeviceHealth() throws Exception {
    String statusToken = ward.device("mq-status-1", "pulse-oximeter", "mq-patient-4");
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("mq-status-1")
            .serverHost("127.0.0.1")
            .serverPort(MQTT_PORT)
            .simpleAuth()
            .username("mq-status-1")
            .password(statusToken.getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .willPublish()
            .topic("devices/mq-status-1/status")
            .payload("{\"online\":false}".getBytes(StandardCharsets.UTF_8))
            .qos(MqttQos.AT_LEAST_ONCE)
            .retain(true)
            .applyWillPublish()
            .buildBlocking();
    client.connect();
    assertThat(health.status("mq-status-1").connected()).contains(true);

    Mqtt5PubAck result =
        puback(
            client
                .toAsync()
                .publishWith()
                .topic("devices/mq-status-1/status")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .payload("{\"battery\":17,\"signal\":-71}".getBytes(StandardCharsets.UTF_8))
                .send());
    // Status reports are delivered on (retained): no subscriber yet is still a success.
    assertThat(reasonCode(result).isError()).isFalse();
    var status = health.status("mq-status-1");
    assertThat(status.batteryPercent()).hasValue(17);
    assertThat(status.signalDbm()).hasValue(-71);
    assertThat(status.online()).isTrue();

    client
        .disconnectWith()
        .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
        .send();
    awaitUntil(() -> health.status("mq-status-1").connected().equals(Optional.of(false)));
    assertThat(health.status("mq-status-1").online()).isFalse();
  }

  @Test
  void eventsAreKeptWithThePatient() throws Exception {
    Mqtt5BlockingClient client = v5("mq-monitor-1", token);
    try {
      Mqtt5PubAck result =
          publish(
              client,
              "devices/mq-monitor-1/events",
              "{\"type\":\"probe-off\",\"time\":\"" + Instant.now() + "\",\"sensor\":\"spo2\"}");
      assertThat(reasonCode(result)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
      assertThat(events.ofDevice("mq-monitor-1", 1))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.type()).isEqualTo("probe-off");
            assertThat(e.patientId()).isEqualTo("mq-patient-1");
            assertThat(e.body()).contains("spo2");
          });
    } finally {
      client.disconnect();
    }
  }

  @Test
  void aPersistentSessionGetsCommandsSentWhileItWasOffline() throws Exception {
    String commandToken = ward.device("mq-command-1", "bedside-monitor", "mq-patient-5");
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("mq-command-1")
            .serverHost("127.0.0.1")
            .serverPort(MQTT_PORT)
            .simpleAuth()
            .username("mq-command-1")
            .password(commandToken.getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildBlocking();
    client.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
    client
        .subscribeWith()
        .topicFilter("devices/mq-command-1/commands/#")
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    client.disconnect();

    commands
        .send("mq-command-1", "measure-now", "{\"vital\":\"bp\"}".getBytes(StandardCharsets.UTF_8))
        .get(10, TimeUnit.SECONDS);

    try (var publishes = client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      client.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
      Optional<Mqtt5Publish> command = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(command)
          .hasValueSatisfying(p -> {
            assertThat(p.getTopic().toString())
                .isEqualTo("devices/mq-command-1/commands/measure-now");
            assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"vital\":\"bp\"}");
          });
    } finally {
      client.disconnect();
    }
  }

  @Test
  void aFloodingDeviceIsThrottledAndTheOthersAreNot() throws Exception {
    String floodToken = ward.device("mq-flood-1", "bedside-monitor", "mq-patient-6");
    Mqtt5AsyncClient flood = v5("mq-flood-1", floodToken).toAsync();
    Mqtt5BlockingClient calm = v5("mq-monitor-2", otherToken);
    try {
      List<CompletableFuture<Mqtt5PublishResult>> sent = new ArrayList<>();
      Instant base = Instant.now().minusSeconds(60);
      for (int i = 0; i < 300; i++) {
        sent.add(
            flood
                .publishWith()
                .topic("devices/mq-flood-1/messages")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(
                    reading("8867-4", 60, "/min", base.plusMillis(i))
                        .getBytes(StandardCharsets.UTF_8))
                .send());
      }
      Mqtt5PubAck calmResult =
          publish(
              calm, "devices/mq-monitor-2/messages", reading("9279-1", 14, "/min", Instant.now()));
      List<Mqtt5PubAckReasonCode> codes = new ArrayList<>();
      for (var future : sent) {
        codes.add(reasonCode(puback(future)));
      }

      assertThat(codes)
          .contains(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, Mqtt5PubAckReasonCode.SUCCESS);
      long accepted = codes.stream().filter(c -> c == Mqtt5PubAckReasonCode.SUCCESS).count();
      assertThat(stored("mq-patient-6", "8867-4")).isEqualTo(accepted);
      assertThat(reasonCode(calmResult)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    } finally {
      flood.disconnect();
      calm.disconnect();
    }
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20); // the broker tells the listener on its own thread: nothing to join
    }
  }
}
