package org.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.testsupport.Command;
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilServerTest;

/**
 * Bluetooth GATT characteristic values, as a gateway forwards them, over HTTP ({@code POST
 * /api/v1/ingest/{id}/gatt/{uuid}}) and MQTT ({@code devices/{id}/gatt/{uuid}} with mosquitto_pub),
 * come back from the FHIR API with the right LOINC code, UCUM unit and converted value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GattIngestIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @TempDir Path files;

  private String httpToken;
  private String mqttToken;
  private String readToken;

  @BeforeAll
  void registerGateway() {
    TestWard ward = new TestWard(patients, devices);
    ward.patient("gatt-patient-1");
    ward.patient("gatt-patient-2");
    // The vectors carry device clocks from 2012 on: the gateways have served these patients since.
    httpToken = devices.register("gatt-http", "phone-gateway", "Phone gateway").token();
    devices.assign("gatt-http", "gatt-patient-1", Instant.parse("2000-01-01T00:00:00Z"));
    mqttToken = devices.register("gatt-mqtt", "hub-gateway", "Hub gateway").token();
    devices.assign("gatt-mqtt", "gatt-patient-2", Instant.parse("2000-01-01T00:00:00Z"));
    String secret = clients.register("gatt-reader", Set.of("system/*.rs"), "test");
    readToken = api().token("gatt-reader", secret, null);
  }

  private int postGatt(String uuid, String hex) throws Exception {
    return postGattResponse(uuid, hex).statusCode();
  }

  private HttpResponse<String> postGattResponse(String uuid, String hex) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(api().base() + "/api/v1/ingest/gatt-http/gatt/" + uuid))
                    .header("Authorization", "Bearer " + httpToken)
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(HexFormat.of().parseHex(hex)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response;
  }

  private Observation latest(String patient, String code) {
    Bundle bundle =
        api()
            .fhir(readToken)
            .search()
            .forResource(Observation.class)
            .where(Observation.PATIENT.hasId(patient))
            .and(Observation.CODE.exactly().systemAndCode("http://loinc.org", code))
            .count(1)
            .returnBundle(Bundle.class)
            .execute();
    assertThat(bundle.getEntry()).as("an Observation of " + code).isNotEmpty();
    Observation latest = (Observation) bundle.getEntryFirstRep().getResource();
    ProfileValidator.assertValid(List.of(latest));
    return latest;
  }

  @Test
  void gattValuesPostedOverHttpBecomeObservationsInUcum() throws Exception {
    // NORDIC blood pressure in kPa with pulse: 18.9 / 11.0 / 15.9 kPa, 60 /min
    HttpResponse<String> bloodPressure = postGattResponse("2A35", "15BDF00B009FF03C001200");
    assertThat(bloodPressure.statusCode()).as(bloodPressure.body()).isEqualTo(202);
    assertThat(latest("gatt-patient-1", "8480-6").getValueQuantity().getValue())
        .isEqualByComparingTo("142"); // 18.9 kPa in mm[Hg]
    assertThat(latest("gatt-patient-1", "8480-6").getValueQuantity().getCode()).isEqualTo("mm[Hg]");
    assertThat(latest("gatt-patient-1", "8462-4").getValueQuantity().getValue())
        .isEqualByComparingTo("83");

    // NORDIC temperature with its own time stamp
    assertThat(postGatt("2a1c", "06B00E00FEDC070C050B321B04")).isEqualTo(202);
    Observation temperature = latest("gatt-patient-1", "8310-5");
    assertThat(temperature.getValueQuantity().getValue()).isEqualByComparingTo("37.6");
    assertThat(temperature.getValueQuantity().getCode()).isEqualTo("Cel");
    assertThat(temperature.getEffectiveDateTimeType().getValueAsString())
        .isEqualTo("2012-12-05T11:50:27Z");

    // derived: 5.3 mmol/L capillary glucose, converted to mg/dL
    assertThat(postGatt("2A18", "060300EA070B1807000035C011")).isEqualTo(202);
    Observation glucose = latest("gatt-patient-1", "41653-7");
    assertThat(glucose.getValueQuantity().getValue()).isEqualByComparingTo("95");
    assertThat(glucose.getValueQuantity().getCode()).isEqualTo("mg/dL");

    // an unknown characteristic and a truncated value: 400, nothing stored
    assertThat(postGatt("2A00", "00")).isEqualTo(400);
    assertThat(postGatt("2A35", "010203")).isEqualTo(400);
  }

  @Test
  void gattValuesPublishedWithMosquittoBecomeObservations() throws Exception {
    // SPEZI pulse-oximeter spot check, and a derived metric weight with BMI and height
    for (var vector :
        List.of(
            List.of("2A5E", "0FACF3BEF5E8070B1D17083920402200 0066E3"),
            List.of("2A9D", "081437E600D706"))) {
      Path payload = files.resolve(vector.get(0) + ".bin");
      Files.write(payload, HexFormat.of().parseHex(vector.get(1).replace(" ", "")));
      Command.Result published =
          Command.run(
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
                  "gatt-mqtt",
                  "-u",
                  "gatt-mqtt",
                  "-P",
                  mqttToken,
                  "-t",
                  "devices/gatt-mqtt/gatt/" + vector.get(0),
                  "-f",
                  payload.toString()));
      assertThat(published.exitCode()).as(published.output()).isZero();
    }

    Observation saturation = latest("gatt-patient-2", "59408-5");
    assertThat(saturation.getValueQuantity().getValue()).isEqualByComparingTo("94");
    assertThat(saturation.getEffectiveDateTimeType().getValueAsString())
        .isEqualTo("2024-11-29T23:08:57Z");
    assertThat(latest("gatt-patient-2", "8867-4").getValueQuantity().getValue())
        .isEqualByComparingTo("147");
    assertThat(latest("gatt-patient-2", "29463-7").getValueQuantity().getValue())
        .isEqualByComparingTo("70.5");
    assertThat(latest("gatt-patient-2", "39156-5").getValueQuantity().getValue())
        .isEqualByComparingTo("23");
    Observation height = latest("gatt-patient-2", "8302-2");
    assertThat(height.getValueQuantity().getValue()).isEqualByComparingTo("175.1");
    assertThat(height.getValueQuantity().getCode()).isEqualTo("cm");
  }
}
