package org.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import tools.jackson.databind.JsonNode;

/**
 * The foundation's end-to-end slice on a real server: a device posts native JSON with its token,
 * hears 202 only once the readings are durable, and they come back from the FHIR API as vital-sign
 * Observations; every kind of bad input gets its documented error and stores nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpIngestIT extends VigilServerTest {

  private static final String LOINC = "http://loinc.org";
  static final String EXAMPLE =
      """
      {"time":"2026-11-24T10:00:00Z","measurements":[{"code":"8867-4","value":72,"unit":"/min"},\
      {"code":"59408-5","value":97,"unit":"%","time":"2026-11-24T10:00:01Z"}]}\
      """;

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;

  private VigilApi api;
  private String monitorToken;
  private String otherToken;
  private String unassignedToken;
  private String readToken;
  private String patientOnlyToken;

  @BeforeAll
  void registerWardAndClients() {
    api = VigilApi.onPort(port);
    for (String id : List.of("it-patient-1", "it-patient-2")) {
      patients.save(
          new Patient(
              id,
              "MRN-" + id,
              "Brennan",
              "Ivy",
              Optional.of(LocalDate.of(1951, 4, 2)),
              "female",
              Optional.of("Ward 7B"),
              Optional.of("Bed 3"),
              Instant.now()));
    }
    // On the ward since the morning of the documented example's readings.
    Instant morning = Instant.parse("2026-11-24T06:00:00Z");
    monitorToken = devices.register("it-monitor-1", "bedside-monitor", "Bed 3 monitor").token();
    devices.assign("it-monitor-1", "it-patient-1", morning);
    otherToken = devices.register("it-monitor-2", "bedside-monitor", "Bed 4 monitor").token();
    devices.assign("it-monitor-2", "it-patient-2", morning);
    unassignedToken = devices.register("it-spare", "pulse-oximeter", "Spare oximeter").token();

    String secret = clients.register("it-ehr", Set.of("system/*.rs"), "test EHR");
    readToken = api.token("it-ehr", secret, null);
    String narrow = clients.register("it-narrow", Set.of("system/Patient.rs"), "patients only");
    patientOnlyToken = api.token("it-narrow", narrow, null);
  }

  private HttpResponse<String> ingest(String device, String token, String body) {
    return api.postJson("/api/v1/ingest/" + device, token, body);
  }

  private Bundle search(String patient, String code) {
    IGenericClient fhir = api.fhir(readToken);
    var query =
        fhir.search()
            .forResource(Observation.class)
            .where(Observation.PATIENT.hasId(patient))
            .returnBundle(Bundle.class);
    if (code != null) {
      query = query.and(Observation.CODE.exactly().systemAndCode(LOINC, code));
    }
    Bundle found = query.execute();
    ProfileValidator.assertValid(found.getEntry().stream().map(e -> e.getResource()).toList());
    return found;
  }

  private int stored(String patient) {
    return search(patient, null).getTotal();
  }

  private static JsonNode outcome(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/fhir+json"));
    JsonNode body = VigilApi.json(response.body());
    assertThat(body.path("resourceType").asString()).isEqualTo("OperationOutcome");
    return body.path("issue").get(0);
  }

  @Test
  void theDocumentedExampleComesBackAsVitalSignObservations() {
    HttpResponse<String> response = ingest("it-monitor-1", monitorToken, EXAMPLE);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(VigilApi.json(response.body()).path("accepted").asInt()).isEqualTo(2);

    Observation heartRate = only(search("it-patient-1", "8867-4"));
    assertThat(heartRate.getValueQuantity().getValue()).isEqualByComparingTo("72");
    assertThat(heartRate.getValueQuantity().getCode()).isEqualTo("/min");
    assertThat(heartRate.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
    assertThat(heartRate.getEffectiveDateTimeType().getValueAsString())
        .isEqualTo("2026-11-24T10:00:00Z");
    assertThat(heartRate.getCategoryFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("vital-signs");
    assertThat(heartRate.getSubject().getReference()).isEqualTo("Patient/it-patient-1");
    assertThat(heartRate.getDevice().getReference()).isEqualTo("Device/it-monitor-1");
    assertThat(heartRate.getMeta().getProfile())
        .extracting(p -> p.getValue())
        .containsExactly("http://hl7.org/fhir/StructureDefinition/heartrate");

    Observation saturation = only(search("it-patient-1", "59408-5"));
    assertThat(saturation.getValueQuantity().getValue()).isEqualByComparingTo("97");
    assertThat(saturation.getValueQuantity().getCode()).isEqualTo("%");
    assertThat(saturation.getEffectiveDateTimeType().getValueAsString())
        .isEqualTo("2026-11-24T10:00:01Z");

    Observation read =
        api.fhir(readToken)
            .read()
            .resource(Observation.class)
            .withId(heartRate.getIdPart())
            .execute();
    assertThat(read.getValueQuantity().getValue()).isEqualByComparingTo("72");
  }

  private static Observation only(Bundle bundle) {
    assertThat(bundle.getEntry()).hasSize(1);
    return (Observation) bundle.getEntryFirstRep().getResource();
  }

  @Test
  void malformedJsonIsA400NamingTheProblem() {
    HttpResponse<String> response =
        ingest("it-monitor-2", otherToken, "{\"measurements\":[{\"code\":\"8867-4\",");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode issue = outcome(response);
    assertThat(issue.path("code").asString()).isEqualTo("invalid");
    assertThat(issue.path("diagnostics").asString()).startsWith("malformed JSON");
    assertThat(issue.path("expression").get(0).asString()).isEqualTo("$");
  }

  @Test
  void aMissingValueIsA400NamingTheField() {
    HttpResponse<String> response =
        ingest(
            "it-monitor-2",
            otherToken,
            "{\"measurements\":[{\"code\":\"8867-4\",\"unit\":\"/min\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode issue = outcome(response);
    assertThat(issue.path("expression").get(0).asString()).isEqualTo("measurements[0].value");
    assertThat(issue.path("diagnostics").asString()).isEqualTo("measurements[0].value is required");
  }

  @Test
  void anUnknownCodeSystemIsA400NamingTheField() {
    HttpResponse<String> response =
        ingest(
            "it-monitor-2",
            otherToken,
            """
            {"measurements":[{"system":"http://snomed.info/sct","code":"364075005","value":72,\
            "unit":"/min"}]}\
            """);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode issue = outcome(response);
    assertThat(issue.path("expression").get(0).asString()).isEqualTo("measurements[0].system");
    assertThat(issue.path("diagnostics").asString()).contains("unknown code system");
  }

  @Test
  void aMessageWithOneBadReadingStoresNoneOfIt() {
    int before = stored("it-patient-2");
    HttpResponse<String> response =
        ingest(
            "it-monitor-2",
            otherToken,
            """
            {"measurements":[{"code":"8867-4","value":80,"unit":"/min"},\
            {"code":"9279-1","value":"fast","unit":"/min"}]}\
            """);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(stored("it-patient-2")).isEqualTo(before);
  }

  @Test
  void aWrongTokenIsA401ThatRevealsNothing() {
    HttpResponse<String> wrong = ingest("it-monitor-1", "vgd_not-the-token", EXAMPLE);
    HttpResponse<String> unknownDevice = ingest("no-such-device", monitorToken, EXAMPLE);
    HttpResponse<String> anotherDevicesToken = ingest("it-monitor-1", otherToken, EXAMPLE);
    HttpResponse<String> none = api.postJson("/api/v1/ingest/it-monitor-1", null, EXAMPLE);

    for (HttpResponse<String> response : List.of(wrong, unknownDevice, anotherDevicesToken)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
      assertThat(outcome(response).path("code").asString()).isEqualTo("login");
      assertThat(response.body()).isEqualTo(wrong.body());
    }
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
  }

  @Test
  void aDeviceServingNoPatientIsToldSo() {
    HttpResponse<String> response = ingest("it-spare", unassignedToken, EXAMPLE);

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(outcome(response).path("diagnostics").asString())
        .contains("not assigned to a patient");
  }

  @Test
  void refusesWhatIsNotJsonOrTooLarge() {
    HttpResponse<String> form =
        api.post("/api/v1/ingest/it-monitor-2", otherToken, "text/plain", "hr=72");
    assertThat(form.statusCode()).isEqualTo(415);
    outcome(form);

    String huge = "{\"pad\":\"" + "x".repeat(300_000) + "\",\"measurements\":[]}";
    HttpResponse<String> tooLarge = ingest("it-monitor-2", otherToken, huge);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(outcome(tooLarge).path("code").asString()).isEqualTo("too-long");
  }

  @Test
  void theFhirApiNeedsATokenWithAScopeForTheResource() {
    HttpResponse<String> anonymous = api.get("/fhir/Observation?patient=it-patient-1", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    outcome(anonymous);

    HttpResponse<String> wrongScope =
        api.get("/fhir/Observation?patient=it-patient-1", patientOnlyToken);
    assertThat(wrongScope.statusCode()).isEqualTo(403);
    assertThat(outcome(wrongScope).path("diagnostics").asString()).contains("system/Observation");

    assertThat(api.get("/fhir/Patient/it-patient-1", patientOnlyToken).statusCode()).isEqualTo(200);
  }

  @Test
  void metadataIsACapabilityStatementListingWhatWorks() {
    HttpResponse<String> response = api.get("/fhir/metadata", readToken);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode statement = VigilApi.json(response.body());
    assertThat(statement.path("resourceType").asString()).isEqualTo("CapabilityStatement");
    assertThat(statement.path("fhirVersion").asString()).isEqualTo("4.0.1");
    JsonNode observation = null;
    for (JsonNode resource : statement.path("rest").get(0).path("resource")) {
      if (resource.path("type").asString().equals("Observation")) {
        observation = resource;
      }
    }
    assertThat(observation).isNotNull();
    assertThat(observation.path("searchParam").findValuesAsString("name"))
        .contains("patient", "subject", "code", "date");
  }

  @Test
  void healthIsOpenAndMetricsNeedAToken() {
    HttpResponse<String> health = api.get("/actuator/health/readiness", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(VigilApi.json(health.body()).path("status").asString()).isEqualTo("UP");
    assertThat(health.body()).contains("\"db\"");

    assertThat(api.get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    ingest("it-monitor-2", otherToken, "{\"measurements\":[]}");
    ingest(
        "it-monitor-2",
        otherToken,
        "{\"measurements\":[{\"code\":\"9279-1\",\"value\":14,\"unit\":\"/min\"}]}");
    HttpResponse<String> metrics = api.get("/actuator/prometheus", readToken);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains(
            "vigil_ingest_log_lag_readings{",
            "vigil_ingest_rejected_total{",
            "vigil_ingest_readings_total{",
            "vigil_store_batch_duration_seconds_count{");
  }

  @Test
  void aTokenRequestWithoutScopeGetsTheClientsScopes() {
    HttpResponse<String> response =
        api.get("/fhir/Observation?patient=it-patient-1&_summary=count", readToken);

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void codeSearchesFromCurlWorkWithAnUnencodedBar() throws Exception {
    // curl sends the '|' of system|code as is; the JDK's client cannot, so use curl itself.
    Process curl =
        new ProcessBuilder(
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                "Authorization: Bearer " + readToken,
                api.base() + "/fhir/Observation?patient=it-patient-1&code=http://loinc.org|8867-4")
            .redirectErrorStream(true)
            .start();
    String status = new String(curl.getInputStream().readAllBytes()).strip();

    assertThat(curl.waitFor()).isZero();
    assertThat(status).isEqualTo("200");
  }
}
