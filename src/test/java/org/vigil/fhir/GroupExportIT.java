package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Group;
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
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * Wards as Groups — read and searched by the ward's staff and by systems, not by anyone else — and
 * a ward's Bulk Data export ({@code Group/[id]/$export}) as a backend service uses it: kick-off,
 * poll, download, parse back with HAPI's parser, and only the members' resources in the files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupExportIT extends VigilServerTest {

  private static final IParser PARSER = FhirContext.forR4Cached().newJsonParser();
  private static final String WARD = "Ward GX";
  private static final String GROUP = "Ward-GX";
  private static final String OTHER_WARD = "Ward GX Other";
  private static final String OTHER_GROUP = "Ward-GX-Other";
  private static final Instant LONG_AGO = Instant.parse("2026-01-02T00:00:00Z");
  private static final Instant SINCE = Instant.parse("2026-02-01T00:00:00Z");

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired MeasurementStore store;
  @Autowired MeasurementIds ids;
  @Autowired UserAccounts users;
  @Autowired AuditTrail audit;

  private final HttpClient http = HttpClient.newHttpClient();
  private VigilApi api;
  private String system;
  private String nurse;
  private String patient;
  private final Set<String> membersOld = new HashSet<>();
  private final Set<String> membersNew = new HashSet<>();
  private final Set<String> othersReadings = new HashSet<>();

  @BeforeAll
  void wards() {
    api = api();
    admit("gx-1", WARD);
    admit("gx-2", WARD);
    admit("gx-3", OTHER_WARD);
    TestWard ward = new TestWard(patients, devices);
    ward.device("gx-monitor-1", "bedside-monitor", "gx-1");
    ward.device("gx-monitor-3", "bedside-monitor", "gx-3");
    // a device on the shelf, assigned to no one: a Group export must pass over it
    ward.device("gx-spare", "pulse-oximeter", "gx-3");
    devices.unassign("gx-spare");
    List<Measurement> readings = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < 6_000; i++) {
      String patientId = "gx-" + (1 + i % 3);
      boolean old = i % 2 == 0;
      Instant at = now.minusSeconds(10_000 - i);
      Instant received = old ? LONG_AGO.plusSeconds(i) : at;
      Measurement m =
          new Measurement(
              ids.next(), patientId, "gx-monitor", "8867-4", 147842, 70, "/min", at, received);
      readings.add(m);
      String id = Long.toString(m.id());
      if (patientId.equals("gx-3")) {
        othersReadings.add(id);
      } else {
        (old ? membersOld : membersNew).add(id);
      }
    }
    store.append(readings);
    system = api.token("gx-ehr", clients.register("gx-ehr", Set.of("system/*.rs"), "EHR"), null);
    users.save(new UserAccount("gx-nurse", Role.NURSE, "gx-nurse", Optional.empty(), true), "pw-n");
    users.setWards("gx-nurse", Set.of(WARD));
    nurse = new WebSignIn(api.base()).accessToken("gx-nurse", "pw-n", "openid user/*.rs");
    users.save(
        new UserAccount("gx-self", Role.PATIENT, "gx-self", Optional.of("gx-1"), true), "pw");
    patient = new WebSignIn(api.base()).accessToken("gx-self", "pw", "openid patient/*.rs");
  }

  private void admit(String id, String ward) {
    patients.save(
        new org.vigil.patient.Patient(
            id,
            "MRN-" + id,
            "Holm",
            "Sven",
            Optional.empty(),
            "male",
            Optional.of(ward),
            Optional.of("Bed " + id),
            Instant.now()));
  }

  private HttpResponse<String> send(String method, String url, String bearer, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : api.base() + url))
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
  private JsonNode manifest(String status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> polled = send("GET", status, system);
      if (polled.statusCode() == 200) {
        return VigilApi.json(polled.body());
      }
      assertThat(polled.statusCode()).as(polled.body()).isEqualTo(202);
      Thread.sleep(100);
    }
    throw new AssertionError("the export did not complete within a minute");
  }

  /** Each file of the manifest, parsed back by HAPI, by type. */
  private Map<String, List<org.hl7.fhir.instance.model.api.IBaseResource>> files(JsonNode manifest)
      throws Exception {
    Map<String, List<org.hl7.fhir.instance.model.api.IBaseResource>> files = new LinkedHashMap<>();
    for (JsonNode output : manifest.path("output")) {
      HttpResponse<String> file = send("GET", output.path("url").asString(), system);
      assertThat(file.statusCode()).isEqualTo(200);
      assertThat(file.headers().firstValue("Content-Type")).hasValue("application/fhir+ndjson");
      List<org.hl7.fhir.instance.model.api.IBaseResource> resources =
          file.body().lines().map(PARSER::parseResource).collect(Collectors.toList());
      assertThat(resources).hasSize(output.path("count").asInt());
      files.put(output.path("type").asString(), resources);
    }
    return files;
  }

  private static Set<String> idsOf(List<org.hl7.fhir.instance.model.api.IBaseResource> resources) {
    return resources.stream().map(r -> r.getIdElement().getIdPart()).collect(Collectors.toSet());
  }

  @Test
  void aWardIsAGroupOfThePatientsOnIt() {
    Group group = api.fhir(system).read().resource(Group.class).withId(GROUP).execute();
    assertThat(group.getName()).isEqualTo(WARD);
    assertThat(group.getType()).isEqualTo(Group.GroupType.PERSON);
    assertThat(group.getActual()).isTrue();
    assertThat(group.getQuantity()).isEqualTo(2);
    assertThat(group.getMember())
        .extracting(m -> m.getEntity().getReference())
        .containsExactly("Patient/gx-1", "Patient/gx-2");
    assertThat(group.getCharacteristicFirstRep().getValueReference().getReference())
        .isEqualTo("Location/" + GROUP);

    Bundle byMember =
        api.fhir(system)
            .search()
            .forResource(Group.class)
            .where(Group.MEMBER.hasId("Patient/gx-3"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(byMember.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .containsExactly(OTHER_GROUP);
    Bundle byName =
        api.fhir(system)
            .search()
            .forResource(Group.class)
            .where(new StringClientParam("name").matches().value("ward gx"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(byName.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .contains(GROUP, OTHER_GROUP);
  }

  @Test
  void aNurseSeesHerWardsGroupOnlyAndAPatientNone() {
    Group hers = api.fhir(nurse).read().resource(Group.class).withId(GROUP).execute();
    assertThat(hers.getMember()).hasSize(2);
    assertThatThrownBy(
            () -> api.fhir(nurse).read().resource(Group.class).withId(OTHER_GROUP).execute())
        .isInstanceOf(ForbiddenOperationException.class);
    Bundle all =
        api.fhir(nurse).search().forResource(Group.class).returnBundle(Bundle.class).execute();
    assertThat(all.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .containsExactly(GROUP);

    HttpResponse<String> refused = api.get("/fhir/Group/" + GROUP, patient);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("OperationOutcome");
    HttpResponse<String> search = api.get("/fhir/Group", patient);
    assertThat(search.statusCode()).as("not even their own ward's").isEqualTo(403);
  }

  @Test
  void exportsOnlyTheMembersResourcesAsNdjsonThatHapiReadsBack() throws Exception {
    HttpResponse<String> accepted = kickOff("/fhir/Group/" + GROUP + "/$export", system);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String status = accepted.headers().firstValue("Content-Location").orElseThrow();
    assertThat(status).startsWith(api.base() + "/api/v1/bulk-exports/");

    JsonNode manifest = manifest(status);
    assertThat(manifest.path("request").asString()).endsWith("/fhir/Group/" + GROUP + "/$export");
    var files = files(manifest);
    assertThat(files.keySet()).containsExactly("Patient", "Device", "Observation");
    assertThat(idsOf(files.get("Patient"))).containsExactlyInAnyOrder("gx-1", "gx-2");
    assertThat(idsOf(files.get("Device"))).containsExactly("gx-monitor-1");
    assertThat(files.get("Device"))
        .allMatch(d -> ((Device) d).getPatient().getReference().equals("Patient/gx-1"));
    List<org.hl7.fhir.instance.model.api.IBaseResource> observations = files.get("Observation");
    assertThat(observations)
        .allMatch(o ->
            Set.of("Patient/gx-1", "Patient/gx-2")
                .contains(((Observation) o).getSubject().getReference()));
    assertThat(idsOf(observations))
        .hasSize(observations.size())
        .containsAll(membersOld)
        .containsAll(membersNew)
        .doesNotContainAnyElementsOf(othersReadings);
    assertThat(files.get("Patient")).allMatch(p -> p instanceof Patient);

    String id = status.substring(status.lastIndexOf('/') + 1);
    assertThat(audit.search(AuditQuery.all().forPatient("gx-2").page(0, 1000)))
        .as("downloading the members' readings is an access to each of them")
        .anyMatch(e -> e.entry().what().equals("bulk-export " + id + " Observation.ndjson"));
    assertThat(send("DELETE", status, system).statusCode()).isEqualTo(202);
  }

  @Test
  void typeAndSinceNarrowAGroupsExport() throws Exception {
    HttpResponse<String> accepted =
        kickOff("/fhir/Group/" + GROUP + "/$export?_type=Observation&_since=" + SINCE, system);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    var files = files(manifest(accepted.headers().firstValue("Content-Location").orElseThrow()));
    assertThat(files.keySet()).containsExactly("Observation");
    assertThat(idsOf(files.get("Observation")))
        .containsAll(membersNew)
        .doesNotContainAnyElementsOf(membersOld)
        .doesNotContainAnyElementsOf(othersReadings);
  }

  @Test
  void anUnknownGroupIsNotFoundAndAPersonMayNotExport() throws Exception {
    assertThat(kickOff("/fhir/Group/no-such-ward/$export", system).statusCode()).isEqualTo(404);
    HttpResponse<String> byNurse = kickOff("/fhir/Group/" + GROUP + "/$export", nurse);
    assertThat(byNurse.statusCode()).isEqualTo(403);
    assertThat(byNurse.body()).contains("OperationOutcome");
  }

  @Test
  void aSinceThatIsNotAnInstantIsABadRequestAtEveryLevel() throws Exception {
    for (String path :
        List.of("/fhir/$export", "/fhir/Patient/$export", "/fhir/Group/" + GROUP + "/$export")) {
      for (String since : List.of("yesterday", "2026-13-45T00:00:00Z")) {
        HttpResponse<String> refused = kickOff(path + "?_since=" + since, system);
        assertThat(refused.statusCode()).as(path + " " + refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("OperationOutcome").contains("_since");
      }
    }
  }
}
