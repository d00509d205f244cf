package org.vigil.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Set;
import org.hl7.fhir.r4.model.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import tools.jackson.databind.JsonNode;

/**
 * The device registry's REST API as an integration engineer uses it: register (token shown once),
 * describe, assign over time, rotate and revoke credentials, see health — and the same device as a
 * FHIR Device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceApiIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;

  private String admin;
  private String readOnly;

  @BeforeAll
  void clients() {
    new TestWard(patients, devices).patient("api-patient-1");
    new TestWard(patients, devices).patient("api-patient-2");
    String secret =
        clients.register("device-admin", Set.of("system/Device.cruds", "system/*.rs"), "test");
    admin = api().token("device-admin", secret, null);
    String reader = clients.register("device-reader", Set.of("system/*.rs"), "test");
    readOnly = api().token("device-reader", reader, null);
  }

  private static final String OXIMETER =
      """
      {"id":"api-oxi-1","type":"pulse-oximeter","displayName":"Bed 5 oximeter",
       "manufacturer":"Acme Medical","model":"OX-200","serialNumber":"SN-4471",
       "udi":"(01)00844588003288(21)4471",
       "typeCode":{"system":"http://snomed.info/sct","code":"448703006","display":"Pulse oximeter"}}\
      """;

  private String reading(String time) {
    return "{\"time\":\""
        + time
        + "\",\"measurements\":[{\"code\":\"59408-5\",\"value\":96,\"unit\":\"%\"}]}";
  }

  @Test
  void registersAssignsRotatesAndRevokesADevice() {
    HttpResponse<String> registered = api().postJson("/api/v1/devices", admin, OXIMETER);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    JsonNode body = VigilApi.json(registered.body());
    String token = body.path("token").asString();
    assertThat(token).startsWith("vgd_");
    assertThat(body.path("device").path("manufacturer").asString()).isEqualTo("Acme Medical");
    assertThat(api().postJson("/api/v1/devices", admin, OXIMETER).statusCode())
        .as("a second time")
        .isEqualTo(409);

    // Readings before any assignment have nowhere to go.
    assertThat(
            api()
                .postJson("/api/v1/ingest/api-oxi-1", token, reading(Instant.now().toString()))
                .statusCode())
        .isEqualTo(409);

    HttpResponse<String> assigned =
        api()
            .put(
                "/api/v1/devices/api-oxi-1/assignment",
                admin,
                "application/json",
                "{\"patientId\":\"api-patient-1\",\"from\":\"2026-11-24T06:00:00Z\"}");
    assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
    assertThat(VigilApi.json(assigned.body()).path("patientId").asString())
        .isEqualTo("api-patient-1");
    assertThat(
            api()
                .postJson("/api/v1/ingest/api-oxi-1", token, reading("2026-11-24T07:00:00Z"))
                .statusCode())
        .isEqualTo(202);

    // The device moves to another patient: readings from then on are theirs, earlier ones stay.
    assertThat(
            api()
                .put(
                    "/api/v1/devices/api-oxi-1/assignment",
                    admin,
                    "application/json",
                    "{\"patientId\":\"api-patient-2\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            api()
                .postJson("/api/v1/ingest/api-oxi-1", token, reading(Instant.now().toString()))
                .statusCode())
        .isEqualTo(202);
    assertThat(
            api()
                .postJson("/api/v1/ingest/api-oxi-1", token, reading("2026-11-24T07:00:30Z"))
                .statusCode())
        .as("an older reading still goes to the first patient")
        .isEqualTo(202);
    JsonNode history =
        VigilApi.json(api().get("/api/v1/devices/api-oxi-1/assignments", readOnly).body());
    assertThat(history).hasSize(2);
    assertThat(history.get(0).path("patientId").asString()).isEqualTo("api-patient-1");
    assertThat(
            api()
                .put(
                    "/api/v1/devices/api-oxi-1/assignment",
                    admin,
                    "application/json",
                    "{\"patientId\":\"api-patient-1\",\"from\":\"2026-01-01T00:00:00Z\"}")
                .statusCode())
        .as("an assignment may not reach back into an earlier one")
        .isEqualTo(409);

    HttpResponse<String> rotated = api().postJson("/api/v1/devices/api-oxi-1/token", admin, "");
    String newToken = VigilApi.json(rotated.body()).path("token").asString();
    assertThat(
            api()
                .postJson("/api/v1/ingest/api-oxi-1", token, reading(Instant.now().toString()))
                .statusCode())
        .as("the old token stops working")
        .isEqualTo(401);
    assertThat(
            api()
                .postJson("/api/v1/ingest/api-oxi-1", newToken, reading(Instant.now().toString()))
                .statusCode())
        .isEqualTo(202);

    assertThat(api().postJson("/api/v1/devices/api-oxi-1/revoke", admin, "").statusCode())
        .isEqualTo(200);
    assertThat(
            api()
                .postJson("/api/v1/ingest/api-oxi-1", newToken, reading(Instant.now().toString()))
                .statusCode())
        .isEqualTo(401);

    JsonNode view = VigilApi.json(api().get("/api/v1/devices/api-oxi-1", readOnly).body());
    assertThat(view.path("revokedAt").isNull()).isFalse();
    assertThat(view.path("status").path("lastSeen").isNull()).isFalse();
    assertThat(view.path("status").path("online").asBoolean()).isTrue();
  }

  @Test
  void anIntegrationSendsACommandThatTheDeviceReceivesOverMqtt() throws Exception {
    HttpResponse<String> registered =
        api()
            .postJson(
                "/api/v1/devices",
                admin,
                OXIMETER.replace("api-oxi-1", "api-oxi-cmd").replace("SN-4471", "SN-9"));
    String token = VigilApi.json(registered.body()).path("token").asString();
    java.nio.file.Path output = java.nio.file.Files.createTempFile(DATA_DIR, "sub", ".txt");
    Process subscriber =
        org.vigil.testsupport.Command.start(
            java.util.List.of(
                "mosquitto_sub",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(MQTT_PORT),
                "-i",
                "api-oxi-cmd",
                "-u",
                "api-oxi-cmd",
                "-P",
                token,
                "-q",
                "1",
                "-t",
                "devices/api-oxi-cmd/commands/#",
                "-C",
                "1",
                "-W",
                "20",
                "-v"),
            output);
    try {
      assertThat(
              api()
                  .postJson("/api/v1/devices/api-oxi-cmd/commands/measure-now", readOnly, "{}")
                  .statusCode())
          .as("reading devices does not allow commanding them")
          .isEqualTo(403);
      assertThat(
              api()
                  .postJson("/api/v1/devices/api-oxi-cmd/commands/no%20spaces", admin, "{}")
                  .statusCode())
          .isEqualTo(400);
      // The command is sent until mosquitto_sub's subscription is in place and it exits.
      Instant deadline = Instant.now().plusSeconds(15);
      boolean delivered = false;
      while (!delivered && Instant.now().isBefore(deadline)) {
        HttpResponse<String> sent =
            api()
                .postJson(
                    "/api/v1/devices/api-oxi-cmd/commands/measure-now",
                    admin,
                    "{\"vital\":\"spo2\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        delivered = subscriber.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      assertThat(delivered).as("mosquitto_sub got the command").isTrue();
      assertThat(java.nio.file.Files.readString(output))
          .contains("devices/api-oxi-cmd/commands/measure-now {\"vital\":\"spo2\"}");
    } finally {
      subscriber.destroyForcibly();
    }
  }

  @Test
  void aReaderMayNotRegisterAndMistakesAreNamed() {
    assertThat(
            api()
                .postJson("/api/v1/devices", readOnly, OXIMETER.replace("api-oxi-1", "api-oxi-2"))
                .statusCode())
        .isEqualTo(403);
    HttpResponse<String> noType =
        api().postJson("/api/v1/devices", admin, "{\"id\":\"api-oxi-3\"}");
    assertThat(noType.statusCode()).isEqualTo(400);
    assertThat(noType.body()).contains("type is required");
    HttpResponse<String> badTemplate =
        api()
            .postJson(
                "/api/v1/devices",
                admin,
                "{\"id\":\"api-x\",\"type\":\"x\",\"template\":\"nope\"}");
    assertThat(badTemplate.statusCode()).isEqualTo(400);
    assertThat(badTemplate.body()).contains("template 'nope' is not loaded");
    assertThat(api().get("/api/v1/devices/no-such-device", readOnly).statusCode()).isEqualTo(404);
  }

  @Test
  void aDeviceIsAFhirDeviceWithItsIdentifiers() {
    api().postJson("/api/v1/devices", admin, OXIMETER.replace("api-oxi-1", "api-oxi-fhir"));
    api()
        .put(
            "/api/v1/devices/api-oxi-fhir/assignment",
            admin,
            "application/json",
            "{\"patientId\":\"api-patient-2\"}");

    Device device =
        api().fhir(readOnly).read().resource(Device.class).withId("api-oxi-fhir").execute();

    assertThat(device.getManufacturer()).isEqualTo("Acme Medical");
    assertThat(device.getModelNumber()).isEqualTo("OX-200");
    assertThat(device.getSerialNumber()).isEqualTo("SN-4471");
    assertThat(device.getUdiCarrierFirstRep().getCarrierHRF())
        .isEqualTo("(01)00844588003288(21)4471");
    assertThat(device.getType().getCodingFirstRep().getCode()).isEqualTo("448703006");
    assertThat(device.getPatient().getReference()).isEqualTo("Patient/api-patient-2");
    assertThat(device.getStatus()).isEqualTo(Device.FHIRDeviceStatus.ACTIVE);
  }
}
