package org.vigil.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.ingest.DeadLetters;
import org.vigil.patient.PatientRepository;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilServerTest;

/**
 * A flood of garbage — raw bytes on the MQTT port and random payloads on device topics, generated
 * from a fixed seed — while a well-behaved device keeps sending: the broker drops bad connections,
 * every bad message gets an answer and a dead letter, and the good device loses nothing.
 */
class MqttGarbageIT extends VigilServerTest {

  private static final long SEED = 20261124L;

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired MeasurementStore store;
  @Autowired DeadLetters deadLetters;

  private static final java.util.concurrent.Executor VIRTUAL =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  private static void sendGarbage(byte[] junk) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", MQTT_PORT), 2000);
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(junk);
      out.flush();
      while (in.read() != -1) {
        // the broker may answer (a CONNACK with an error) before it closes
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the broker kept a garbage connection open", e);
    } catch (java.io.IOException reset) {
      // closed by the broker: what we want
    }
  }

  private Mqtt5AsyncClient connect(String deviceId, String token) throws Exception {
    Mqtt5AsyncClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(deviceId + "-" + System.nanoTime())
            .serverHost("127.0.0.1")
            .serverPort(MQTT_PORT)
            .simpleAuth()
            .username(deviceId)
            .password(token.getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildAsync();
    client.connect().get(10, TimeUnit.SECONDS);
    return client;
  }

  private static Mqtt5PubAckReasonCode code(CompletableFuture<Mqtt5PublishResult> sent)
      throws Exception {
    try {
      return ((Mqtt5PublishResult.Mqtt5Qos1Result) sent.get(30, TimeUnit.SECONDS))
          .getPubAck()
          .getReasonCode();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Mqtt5PubAckException refused) {
        return refused.getMqttMessage().getReasonCode();
      }
      throw e;
    }
  }

  @Test
  void garbageNeverHurtsAWellBehavedDevice() throws Exception {
    TestWard ward = new TestWard(patients, devices);
    String goodToken = ward.device("garbage-good", "bedside-monitor", "garbage-patient-1");
    String badToken = ward.device("garbage-bad", "bedside-monitor", "garbage-patient-2");
    Random random = new Random(SEED);

    // 1. Raw garbage on the MQTT port, 30 connections at once: the broker closes each one (at the
    // latest when no CONNECT completed within its connect timeout); none is left hanging.
    List<CompletableFuture<Void>> connections = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      byte[] junk = new byte[1 + random.nextInt(300)];
      random.nextBytes(junk);
      connections.add(CompletableFuture.runAsync(() -> sendGarbage(junk), VIRTUAL));
    }
    CompletableFuture.allOf(connections.toArray(CompletableFuture[]::new))
        .get(60, TimeUnit.SECONDS);

    // 2. Random payloads from an authenticated device, beside a good device's readings.
    Mqtt5AsyncClient bad = connect("garbage-bad", badToken);
    Mqtt5AsyncClient good = connect("garbage-good", goodToken);
    try {
      long deadBefore = deadLetters.count();
      List<CompletableFuture<Mqtt5PublishResult>> garbage = new ArrayList<>();
      List<CompletableFuture<Mqtt5PublishResult>> readings = new ArrayList<>();
      Instant base = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.MILLIS);
      String[] topics = {"messages", "gatt/2A37", "gatt/2A35", "gatt/FFFF", "events", "status"};
      for (int i = 0; i < 90; i++) {
        byte[] payload = new byte[random.nextInt(200)];
        random.nextBytes(payload);
        garbage.add(
            bad.publishWith()
                .topic("devices/garbage-bad/" + topics[i % topics.length])
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send());
        readings.add(
            good.publishWith()
                .topic("devices/garbage-good/messages")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(
                    ("{\"time\":\""
                            + base.plusMillis(i)
                            + "\",\"measurements\":[{\"code\":"
                            + "\"8867-4\",\"value\":"
                            + (60 + i % 30)
                            + ",\"unit\":\"/min\"}]}")
                        .getBytes(StandardCharsets.UTF_8))
                .send());
      }

      // Random bytes can happen to be a valid GATT value (its readings are then stored); every
      // other message is refused with a reason code and kept as a dead letter.
      int refused = 0;
      for (var sent : garbage) {
        Mqtt5PubAckReasonCode code = code(sent);
        assertThat(code)
            .isIn(
                Mqtt5PubAckReasonCode.SUCCESS,
                Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                Mqtt5PubAckReasonCode.TOPIC_NAME_INVALID);
        if (code.isError()) {
          refused++;
        }
      }
      for (var sent : readings) {
        assertThat(code(sent)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
      }
      assertThat(refused).isGreaterThan(60);
      assertThat(deadLetters.count() - deadBefore).isEqualTo(refused);
      assertThat(
              store.count(
                  MeasurementQuery.forPatient("garbage-patient-1").withCodes(Set.of("8867-4"))))
          .isEqualTo(90);
    } finally {
      bad.disconnect();
      good.disconnect();
    }
  }
}
