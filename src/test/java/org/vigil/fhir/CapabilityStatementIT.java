package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementIds;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;

/**
 * The CapabilityStatement at {@code /fhir/metadata} tells the truth: every interaction, search
 * parameter and operation it lists is exercised and answers successfully, and what Vigil offers is
 * listed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapabilityStatementIT extends VigilServerTest {

  private static final String PATIENT = "cap-patient";

  /** A value of each search parameter type that a working server accepts. */
  private static final Map<String, String> SAMPLE =
      Map.of(
          "token", "http://loinc.org|8867-4",
          "reference", "Patient/" + PATIENT,
          "date", "ge2026-01-01",
          "string", "x",
          "uri", "urn:x",
          "number", "1",
          "quantity", "1");

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired MeasurementStore store;
  @Autowired MeasurementIds ids;
  @Autowired org.vigil.alarm.Alarms alarms;

  private VigilApi api;
  private String token;
  private final Map<String, String> anId = new java.util.HashMap<>();

  @BeforeAll
  void data() {
    api = api();
    TestWard ward = new TestWard(patients, devices);
    ward.patient(PATIENT);
    ward.device("cap-monitor", "bedside-monitor", PATIENT);
    Instant now = Instant.now();
    long id = ids.next();
    store.append(
        List.of(
            new Measurement(id, PATIENT, "cap-monitor", "8867-4", 147842, 70, "/min", now, now)));
    token =
        api.token(
            "cap-ehr",
            clients.register("cap-ehr", Set.of("system/*.rs", "system/AuditEvent.rs"), "t"),
            null);
    anId.put("Patient", PATIENT);
    anId.put("Device", "cap-monitor");
    anId.put("Observation", Long.toString(id));
    long alarm =
        alarms
            .raise(
                PATIENT,
                "news2",
                org.vigil.alarm.AlarmPriority.HIGH,
                "NEWS2 7 (high clinical risk)")
            .id();
    anId.put("Flag", Long.toString(alarm));
  }

  private CapabilityStatement metadata() {
    return api.fhir(token).capabilities().ofType(CapabilityStatement.class).execute();
  }

  @Test
  void everyInteractionAndSearchParameterListedWorks() {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    CapabilityStatement capabilities = metadata();
    // OperationDefinitions are HAPI's descriptions of the operations the statement lists
    capabilities.getRestFirstRep().getResource().stream()
        .flatMap(r -> r.getOperation().stream())
        .map(o -> o.getDefinition())
        .findFirst()
        .ifPresent(url -> anId.put("OperationDefinition", url.substring(url.lastIndexOf('/') + 1)));
    for (CapabilityStatementRestResourceComponent resource :
        capabilities.getRestFirstRep().getResource()) {
      String type = resource.getType();
      // Observation searches are per patient: name one with every parameter
      String scope = type.equals("Observation") ? "patient=" + PATIENT + "&" : "";
      for (var interaction : resource.getInteraction()) {
        String path =
            switch (interaction.getCode()) {
              case READ -> "/fhir/" + type + "/" + readableId(type);
              case SEARCHTYPE -> "/fhir/" + type + "?" + scope + "_count=1";
              default -> null;
            };
        if (path != null) {
          checked++;
          expectOk(path, broken);
        }
      }
      for (var parameter : resource.getSearchParam()) {
        String name = parameter.getName();
        // a Flag's status is active or inactive; anything else is a 400 naming it
        String value =
            type.equals("Flag") && name.equals("status")
                ? "active"
                : SAMPLE.getOrDefault(parameter.getType().toCode(), "x");
        boolean namesThePatient = Set.of("patient", "subject").contains(name);
        String query =
            type.equals("Observation") && namesThePatient
                ? name + "=" + encode("Patient/" + PATIENT)
                : scope + name + "=" + encode(namesThePatient ? PATIENT : value);
        checked++;
        expectOk("/fhir/" + type + "?" + query, broken);
      }
    }
    System.out.printf(
        "CapabilityStatement: %d listed interactions and parameters checked%n", checked);
    assertThat(checked).isGreaterThan(10);
    assertThat(broken).isEmpty();
  }

  @Test
  void theOperationsVigilOffersAreListedAndWork() {
    CapabilityStatement capabilities = metadata();
    List<String> observationOperations =
        capabilities.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("Observation"))
            .flatMap(r -> r.getOperation().stream())
            .map(CapabilityStatementRestResourceOperationComponent::getName)
            .toList();
    assertThat(observationOperations).contains("lastn", "stats");
    List<String> patientOperations =
        capabilities.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("Patient"))
            .flatMap(r -> r.getOperation().stream())
            .map(CapabilityStatementRestResourceOperationComponent::getName)
            .toList();
    assertThat(patientOperations).contains("export");
    assertThat(capabilities.getRestFirstRep().getOperation())
        .extracting(o -> o.getName())
        .contains("export");

    List<String> broken = new ArrayList<>();
    expectOk("/fhir/Observation/$lastn?patient=" + PATIENT, broken);
    expectOk(
        "/fhir/Observation/$stats?patient=" + PATIENT + "&code=8867-4&duration=1&statistic=average",
        broken);
    assertThat(broken).isEmpty();
  }

  private String readableId(String type) {
    if (anId.containsKey(type)) {
      return anId.get(type);
    }
    HttpResponse<String> search = api.get("/fhir/" + type + "?_count=1", token);
    return VigilApi.json(search.body())
        .path("entry")
        .path(0)
        .path("resource")
        .path("id")
        .asString();
  }

  private void expectOk(String path, List<String> broken) {
    HttpResponse<String> response = api.get(path, token);
    if (response.statusCode() != 200) {
      broken.add(path + " -> " + response.statusCode() + " " + response.body());
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
