package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.device.DeviceRegistry;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementIds;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import tools.jackson.databind.JsonNode;

/**
 * FHIR Bulk Data export as a backend service uses it (Bulk Data Access IG): kick-off with {@code
 * Prefer: respond-async}, poll the status URL, fetch the NDJSON files with the same token, parse
 * them back with HAPI's parser, delete the export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkExportIT extends VigilServerTest {

  private static final IParser PARSER = FhirContext.forR4Cached().newJsonParser();
  private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired MeasurementStore store;
  @Autowired MeasurementIds ids;
  @Autowired AuditTrail audit;

  private final HttpClient http = HttpClient.newHttpClient();
  private String token;
  private String otherToken;
  private String patientsOnlyToken;
  private final Set<String> oldReadings = new HashSet<>();
  private final Set<String> newReadings = new HashSet<>();

  @BeforeAll
  void data() {
    TestWard ward = new TestWard(patients, devices);
    for (String patient : List.of("bx-1", "bx-2", "bx-3")) {
      ward.patient(patient);
    }
    ward.device("bx-monitor", "bedside-monitor", "bx-1");
    List<Measurement> readings = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      String patient = "bx-" + (1 + i % 3);
      // the first half received long ago, the second half now
      Instant received = i < 1_500 ? LONG_AGO.plusSeconds(i) : Instant.now();
      Measurement m =
          new Measurement(
              ids.next(),
              patient,
              "bx-monitor",
              "8867-4",
              147842,
              60 + i % 40,
              "/min",
              received,
              received);
      readings.add(m);
      (i < 1_500 ? oldReadings : newReadings).add(Long.toString(m.id()));
    }
    store.append(readings);
    VigilApi api = api();
    token = api.token("bx-ehr", clients.register("bx-ehr", Set.of("system/*.rs"), "t"), null);
    otherToken =
        api.token("bx-other", clients.register("bx-other", Set.of("system/*.rs"), "t"), null);
    patientsOnlyToken =
        api.token(
            "bx-narrow", clients.register("bx-narrow", Set.of("system/Patient.rs"), "t"), null);
  }

  private HttpResponse<String> send(String method, String url, String bearer, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : api().base() + url))
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Bearer " + bearer);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> kickOff(String path, String bearer) throws Exception {
    return send("GET", path, bearer, "Accept", "application/fhir+json", "Prefer", "respond-async");
  }

  /** Polls the status URL until the manifest is there (at most a minute). */
  private JsonNode manifest(String status, String bearer) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> polled = send("GET", status, bearer);
      if (polled.statusCode() == 200) {
        return VigilApi.json(polled.body());
      }
      assertThat(polled.statusCode()).as(polled.body()).isEqualTo(202);
      assertThat(polled.headers().firstValue("X-Progress")).isPresent();
      Thread.sleep(100);
    }
    throw new AssertionError("the export did not complete within a minute");
  }

  private static Map<String, JsonNode> outputs(JsonNode manifest) {
    Map<String, JsonNode> byType = new java.util.LinkedHashMap<>();
    manifest.path("output").forEach(o -> byType.put(o.path("type").asString(), o));
    return byType;
  }

  @Test
  void exportsEveryTypeAsNdjsonThatHapiReadsBack() throws Exception {
    HttpResponse<String> accepted = kickOff("/fhir/$export", token);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String status = accepted.headers().firstValue("Content-Location").orElseThrow();
    assertThat(status).startsWith(api().base() + "/api/v1/bulk-exports/");

    JsonNode manifest = manifest(status, token);
    assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
    assertThat(manifest.path("request").asString()).endsWith("/fhir/$export");
    Map<String, JsonNode> outputs = outputs(manifest);
    assertThat(outputs.keySet()).containsExactly("Patient", "Device", "Observation");

    HttpResponse<String> file =
        send("GET", outputs.get("Observation").path("url").asString(), token);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type")).hasValue("application/fhir+ndjson");
    List<String> lines = file.body().lines().toList();
    assertThat(lines).hasSize(outputs.get("Observation").path("count").asInt());
    Set<String> exported =
        lines.stream()
            .map(line -> PARSER.parseResource(Observation.class, line).getIdPart())
            .collect(Collectors.toSet());
    assertThat(exported).hasSize(lines.size()).containsAll(oldReadings).containsAll(newReadings);

    List<String> patientLines =
        send("GET", outputs.get("Patient").path("url").asString(), token).body().lines().toList();
    assertThat(patientLines.stream().map(l -> PARSER.parseResource(Patient.class, l).getIdPart()))
        .contains("bx-1", "bx-2", "bx-3");

    String id = status.substring(status.lastIndexOf('/') + 1);
    assertThat(audit.search(AuditQuery.all().byAgent("bx-ehr").page(0, 1000)))
        .extracting(e -> e.entry().what())
        .as("the kick-off and the download are in the audit trail")
        .anyMatch(what -> what.contains("$export"))
        .contains("bulk-export " + id + " Observation.ndjson");

    assertThat(send("GET", status, otherToken).statusCode())
        .as("another client does not see the export")
        .isEqualTo(404);
    assertThat(send("DELETE", status, token).statusCode()).isEqualTo(202);
    assertThat(send("GET", status, token).statusCode()).isEqualTo(404);
  }

  @Test
  void sinceLeavesOutWhatWasStoredBefore() throws Exception {
    HttpResponse<String> accepted =
        kickOff("/fhir/Patient/$export?_type=Observation&_since=2025-01-01T00:00:00Z", token);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

    JsonNode manifest = manifest(accepted.headers().firstValue("Content-Location").get(), token);
    Map<String, JsonNode> outputs = outputs(manifest);
    assertThat(outputs.keySet()).containsExactly("Observation");
    Set<String> exported =
        send("GET", outputs.get("Observation").path("url").asString(), token)
            .body()
            .lines()
            .map(line -> PARSER.parseResource(Observation.class, line).getIdPart())
            .collect(Collectors.toSet());
    assertThat(exported).containsAll(newReadings).doesNotContainAnyElementsOf(oldReadings);
  }

  @Test
  void aClientExportsOnlyWhatItsScopesLetItRead() throws Exception {
    HttpResponse<String> refused = kickOff("/fhir/$export?_type=Observation", patientsOnlyToken);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("system/Observation.r");

    HttpResponse<String> accepted = kickOff("/fhir/$export", patientsOnlyToken);
    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode manifest =
        manifest(accepted.headers().firstValue("Content-Location").get(), patientsOnlyToken);
    assertThat(outputs(manifest).keySet()).containsExactly("Patient");
  }

  @Test
  void aKickOffWithoutPreferOrWithAnUnknownTypeIsABadRequest() throws Exception {
    HttpResponse<String> noPrefer = send("GET", "/fhir/$export", token);
    assertThat(noPrefer.statusCode()).isEqualTo(400);
    assertThat(noPrefer.body()).contains("Prefer: respond-async");

    HttpResponse<String> unknown = kickOff("/fhir/$export?_type=Encounter", token);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("_type 'Encounter' is not exported");
  }
}
