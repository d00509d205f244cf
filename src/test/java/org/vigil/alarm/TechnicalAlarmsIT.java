package org.vigil.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import tools.jackson.databind.JsonNode;

/**
 * Technical alarms from a real MQTT device: a status report of a low battery raises one, losing the
 * connection raises another, and each clears once the device is back to health — all marked
 * technical, apart from the patient's clinical alarms. A probe that comes off the patient is a
 * technical alarm too, and while it lasts the device's readings sound nothing: a desaturation read
 * through a loose probe is suppressed, one read after the probe is back sounds.
 */
class TechnicalAlarmsIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired ConditionOutcomes outcomes;

  private Mqtt5BlockingClient connect(String deviceId, String token) {
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(deviceId + "-" + System.nanoTime())
            .serverHost("127.0.0.1")
            .serverPort(MQTT_PORT)
            .simpleAuth()
            .username(deviceId)
            .password(token.getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildBlocking();
    client.connect();
    return client;
  }

  private Optional<JsonNode> alarm(
      String reader, String patient, String condition, Predicate<JsonNode> until)
      throws InterruptedException {
    Optional<JsonNode> found = Optional.empty();
    for (int attempt = 0; attempt < 60; attempt++) {
      JsonNode all = VigilApi.json(api().get("/api/v1/alarms?patient=" + patient, reader).body());
      found =
          all.valueStream()
              .filter(a -> a.path("condition").asString().equals(condition))
              .findFirst();
      if (found.isPresent() && until.test(found.get())) {
        return found;
      }
      Thread.sleep(250);
    }
    return found;
  }

  @Test
  void aLowBatteryAndALostConnectionAreTechnicalAlarmsThatClearWhenTheDeviceRecovers()
      throws Exception {
    String token =
        new TestWard(patients, devices).device("ta-oximeter", "pulse-oximeter", "ta-patient");
    String reader =
        api().token("ta-ehr", clients.register("ta-ehr", Set.of("system/*.rs"), "t"), null);

    Mqtt5BlockingClient device = connect("ta-oximeter", token);
    device
        .publishWith()
        .topic("devices/ta-oximeter/status")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("{\"battery\": 12, \"signal\": -70}".getBytes(StandardCharsets.UTF_8))
        .send();
    JsonNode battery =
        alarm(reader, "ta-patient", "device-battery-low:ta-oximeter", a -> true).orElseThrow();
    assertThat(battery.path("kind").asString()).isEqualTo("technical");
    assertThat(battery.path("priority").asString()).isEqualTo("low");
    assertThat(battery.path("summary").asString()).endsWith("battery at 12 %");

    device.disconnect();
    JsonNode offline =
        alarm(reader, "ta-patient", "device-offline:ta-oximeter", a -> true).orElseThrow();
    assertThat(offline.path("summary").asString()).contains("is offline");

    Mqtt5BlockingClient back = connect("ta-oximeter", token);
    back.publishWith()
        .topic("devices/ta-oximeter/status")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("{\"battery\": 95}".getBytes(StandardCharsets.UTF_8))
        .send();
    Predicate<JsonNode> resolved = a -> a.path("status").asString().equals("resolved");
    assertThat(alarm(reader, "ta-patient", "device-offline:ta-oximeter", resolved))
        .hasValueSatisfying(a -> assertThat(resolved.test(a)).isTrue());
    assertThat(alarm(reader, "ta-patient", "device-battery-low:ta-oximeter", resolved))
        .hasValueSatisfying(a -> assertThat(resolved.test(a)).isTrue());
    back.disconnect();
  }

  private static void publish(Mqtt5BlockingClient device, String topic, String payload) {
    device
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .send();
  }

  private static String spo2(java.time.Instant at, int value) {
    return "{\"time\":\""
        + at
        + "\",\"measurements\":[{\"code\":\"59408-5\",\"value\":"
        + value
        + ",\"unit\":\"%\"}]}";
  }

  @Test
  void aProbeOffThePatientIsATechnicalAlarmThatSuppressesTheDesaturationItsReadingsShow()
      throws Exception {
    String token =
        new TestWard(patients, devices).device("ta-probe-oximeter", "pulse-oximeter", "ta-probe");
    String reader =
        api()
            .token(
                "ta-probe-ehr", clients.register("ta-probe-ehr", Set.of("system/*.rs"), "t"), null);
    Mqtt5BlockingClient device = connect("ta-probe-oximeter", token);
    String readings = "devices/ta-probe-oximeter/messages";
    java.time.Instant at =
        java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    publish(device, readings, spo2(at, 97));

    // the device dates its events by its own clock, as it does its readings
    publish(
        device,
        "devices/ta-probe-oximeter/events",
        "{\"type\": \"probe-off\", \"time\": \"" + at.plusMillis(500) + "\"}");
    JsonNode probeOff =
        alarm(reader, "ta-probe", "device-probe-off:ta-probe-oximeter", a -> true).orElseThrow();
    assertThat(probeOff.path("kind").asString()).isEqualTo("technical");
    assertThat(probeOff.path("priority").asString()).isEqualTo("medium");
    assertThat(probeOff.path("summary").asString()).contains("probe off the patient");

    long suppressedBefore = outcomes.counts().of(ConditionOutcomes.Outcome.SUPPRESSED);
    // the loose probe reads a desaturation, again and again: one suppressed condition
    for (int i = 1; i <= 5; i++) {
      publish(device, readings, spo2(at.plusSeconds(i), 72));
    }
    for (int attempt = 0;
        attempt < 40
            && outcomes.counts().of(ConditionOutcomes.Outcome.SUPPRESSED) == suppressedBefore;
        attempt++) {
      Thread.sleep(100);
    }
    assertThat(outcomes.counts().of(ConditionOutcomes.Outcome.SUPPRESSED))
        .isEqualTo(suppressedBefore + 1);
    // longer than the condition delay (1 s in tests): had it not been suppressed, it would sound
    Thread.sleep(2500);
    assertThat(api().get("/api/v1/alarms?patient=ta-probe", reader).body())
        .doesNotContain("limit:59408-5");
    JsonNode stored =
        VigilApi.json(
            api()
                .get("/fhir/Observation?patient=ta-probe&code=59408-5&_summary=count", reader)
                .body());
    assertThat(stored.path("total").asInt())
        .as("suppressed readings are still stored")
        .isEqualTo(6);

    publish(
        device,
        "devices/ta-probe-oximeter/events",
        "{\"type\": \"probe-on\", \"time\": \"" + at.plusSeconds(10) + "\"}");
    // a loose probe's last artefact, arriving after the probe is back: judged by when it was
    // taken, it stays suppressed
    publish(device, readings, spo2(at.plusSeconds(6), 70));
    Predicate<JsonNode> resolved = a -> a.path("status").asString().equals("resolved");
    assertThat(alarm(reader, "ta-probe", "device-probe-off:ta-probe-oximeter", resolved))
        .hasValueSatisfying(a -> assertThat(resolved.test(a)).isTrue());
    // the probe is back and still reads low: that is the patient, and it sounds
    publish(device, readings, spo2(at.plusSeconds(10), 82));
    assertThat(alarm(reader, "ta-probe", "limit:59408-5", a -> true)).isPresent();
    device.disconnect();
  }
}
