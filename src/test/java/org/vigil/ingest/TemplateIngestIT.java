package org.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.testsupport.Command;
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import tools.jackson.databind.JsonNode;

/**
 * Proprietary devices brought in by mapping templates, end to end: the three shipped vendor
 * templates over MQTT and HTTP, read back through FHIR; a template posted through the API (a broken
 * one refused with its problems); and a dead letter replayed once the missing template is loaded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateIngestIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;

  private TestWard ward;
  private String integrationToken;

  @BeforeAll
  void registerIntegration() {
    ward = new TestWard(patients, devices);
    String secret =
        clients.register("template-engineer", Set.of("system/Device.cruds", "system/*.rs"), "test");
    integrationToken = api().token("template-engineer", secret, null);
  }

  private static byte[] payload(String name) throws Exception {
    return VigilServerTest.class.getResourceAsStream("/templates/" + name).readAllBytes();
  }

  private List<Observation> observations(String patient, String code) {
    Bundle bundle =
        api()
            .fhir(integrationToken)
            .search()
            .forResource(Observation.class)
            .where(Observation.PATIENT.hasId(patient))
            .and(Observation.CODE.exactly().systemAndCode("http://loinc.org", code))
            .sort()
            .ascending(Observation.DATE)
            .returnBundle(Bundle.class)
            .execute();
    List<Observation> found =
        bundle.getEntry().stream().map(e -> (Observation) e.getResource()).toList();
    ProfileValidator.assertValid(found);
    return found;
  }

  private Command.Result mosquittoPub(String device, String token, String channel, Path file) {
    return Command.run(
        Duration.ofSeconds(20),
        List.of(
            "mosquitto_pub",
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(MQTT_PORT),
            "-q",
            "1",
            "-i",
            device,
            "-u",
            device,
            "-P",
            token,
            "-t",
            "devices/" + device + "/" + channel,
            "-f",
            file.toString()));
  }

  @Test
  void aWristbandBatchOverMqttBecomesObservationsPerSample(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String token = ward.device("PW2-00123", "pulsewave-wristband", "tpl-patient-1");
    Path file = dir.resolve("batch.json");
    Files.write(file, payload("pulsewave-batch.json"));

    Command.Result sent = mosquittoPub("PW2-00123", token, "messages", file);
    assertThat(sent.exitCode()).as(sent.output()).isZero();

    assertThat(observations("tpl-patient-1", "8867-4"))
        .extracting(
            o -> o.getValueQuantity().getValue().intValue(),
            o -> o.getEffectiveDateTimeType().getValueAsString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(72, "2026-11-24T07:10:00Z"),
            org.assertj.core.groups.Tuple.tuple(75, "2026-11-24T07:11:00Z"),
            org.assertj.core.groups.Tuple.tuple(118, "2026-11-24T07:12:00Z"));
    assertThat(observations("tpl-patient-1", "9279-1")).hasSize(2);
    assertThat(observations("tpl-patient-1", "59408-5").getFirst().getCode().getCoding())
        .anySatisfy(c -> assertThat(c.getCode()).isEqualTo("150456"));
  }

  @Test
  void theCuffsWebhookOverHttpIsStoredInMillimetresWithMeanPressure() throws Exception {
    String token = ward.device("CC-7781", "cardiocuff-bp", "tpl-patient-2");
    HttpResponse<String> response =
        api().postJson("/api/v1/ingest/CC-7781", token, new String(payload("cardiocuff-kpa.json")));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(VigilApi.json(response.body()).path("accepted").asInt()).isEqualTo(4);

    Observation systolic = observations("tpl-patient-2", "8480-6").getFirst();
    assertThat(systolic.getValueQuantity().getValue()).isEqualByComparingTo("126");
    assertThat(systolic.getValueQuantity().getCode()).isEqualTo("mm[Hg]");
    assertThat(systolic.getEffectiveDateTimeType().getValueAsString())
        .isEqualTo("2026-11-24T06:45:00Z");
    assertThat(observations("tpl-patient-2", "8478-0").getFirst().getValueQuantity().getValue())
        .isEqualByComparingTo("94");
  }

  @Test
  void theScaleOverMqttIsStoredInKilograms(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    String token = ward.device("TW5-4410", "trueweigh-scale", "tpl-patient-3");
    Path file = dir.resolve("weigh-in.json");
    Files.write(file, payload("trueweigh-lb.json"));

    assertThat(mosquittoPub("TW5-4410", token, "messages", file).exitCode()).isZero();

    Observation weight = observations("tpl-patient-3", "29463-7").getFirst();
    assertThat(weight.getValueQuantity().getValue()).isEqualByComparingTo("69.99");
    assertThat(weight.getValueQuantity().getCode()).isEqualTo("kg");
  }

  @Test
  void aPayloadNamingAnotherDeviceIsRefused() throws Exception {
    String token = ward.device("CC-9999", "cardiocuff-bp", "tpl-patient-4");
    HttpResponse<String> response =
        api().postJson("/api/v1/ingest/CC-9999", token, new String(payload("cardiocuff-kpa.json")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("names device CC-7781 but was sent by CC-9999");
  }

  @Test
  void aDeadLetterIsReplayedOnceItsTemplateIsLoaded() throws Exception {
    String token = ward.device("thermo-1", "acme-thermometer", "tpl-patient-5");
    devices.describe(
        "thermo-1",
        new org.vigil.device.DeviceRegistration(
            "thermo-1",
            "acme-thermometer",
            "Acme thermometer",
            new org.vigil.device.DeviceDetails(
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.of("acme-thermometer"))));
    String message = "{\"id\":\"thermo-1\",\"tempF\":101.3,\"at\":\"2026-11-24T06:00:00Z\"}";

    HttpResponse<String> refused = api().postJson("/api/v1/ingest/thermo-1", token, message);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("template 'acme-thermometer' is not loaded");

    HttpResponse<String> letters =
        api().get("/api/v1/dead-letters?device=thermo-1", integrationToken);
    assertThat(letters.statusCode()).isEqualTo(200);
    long id = VigilApi.json(letters.body()).path("deadLetters").get(0).path("id").asLong();

    String broken =
        """
        {"name":"acme-thermometer","deviceTypes":["acme-thermometer"],
         "values":[{"name":"t","path":"$.tempF","code":"8310-5","unit":"F"}]}\
        """;
    HttpResponse<String> rejected =
        api()
            .put(
                "/api/v1/templates/acme-thermometer", integrationToken, "application/json", broken);
    assertThat(rejected.statusCode()).isEqualTo(422);
    assertThat(rejected.body()).contains("values[0].unit: 'F' is not accepted for 8310-5");

    String fixed =
        """
        {"name":"acme-thermometer","deviceTypes":["acme-thermometer"],"deviceId":"$.id",
         "timestamp":{"path":"$.at","format":"iso8601"},
         "values":[{"name":"t","path":"$.tempF","code":"8310-5","unit":"[degF]"}]}\
        """;
    assertThat(
            api()
                .put(
                    "/api/v1/templates/acme-thermometer",
                    integrationToken,
                    "application/json",
                    fixed)
                .statusCode())
        .isEqualTo(200);
    assertThat(DATA_DIR.resolve("templates/acme-thermometer.json")).exists();

    HttpResponse<String> replayed =
        api().postJson("/api/v1/dead-letters/" + id + "/replay", integrationToken, "");
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
    JsonNode result = VigilApi.json(replayed.body());
    assertThat(result.path("stored").asBoolean()).isTrue();
    assertThat(observations("tpl-patient-5", "8310-5").getFirst().getValueQuantity().getValue())
        .isEqualByComparingTo("38.5"); // 101.3 degF
  }

  @Test
  void theTemplateApiListsAndTestsTemplates() throws Exception {
    HttpResponse<String> list = api().get("/api/v1/templates", integrationToken);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body())
        .contains("pulsewave-wristband-batch", "cardiocuff-webhook", "trueweigh-scale");

    String request =
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .writeValueAsString(
                java.util.Map.of(
                    "template",
                    api().get("/api/v1/templates/trueweigh-scale", integrationToken).body(),
                    "payload",
                    new String(payload("trueweigh-lb.json"))));
    HttpResponse<String> tested =
        api().postJson("/api/v1/templates/test", integrationToken, request);
    assertThat(tested.statusCode()).isEqualTo(200);
    assertThat(tested.body()).contains("\"ok\":true", "154.3 [lb_av] -> 69.99 kg");

    assertThat(api().get("/api/v1/templates", null).statusCode()).isEqualTo(401);
  }
}
