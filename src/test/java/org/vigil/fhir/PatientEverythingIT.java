package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.alarm.AlarmPriority;
import org.vigil.alarm.Alarms;
import org.vigil.analytics.EarlyWarningScores;
import org.vigil.analytics.News2Parameter;
import org.vigil.analytics.News2Score;
import org.vigil.analytics.SpO2Scale;
import org.vigil.audit.AuditEvent;
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

/**
 * {@code Patient/{id}/$everything} with HAPI's generic client: a patient's whole record — Patient,
 * Devices, Flags, NEWS2 and every reading, device's or entered — paged through without repeats,
 * only to those who may read that patient, and audited as a read of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientEverythingIT extends VigilServerTest {

  private static final String PATIENT = "ev-patient";
  private static final String NEIGHBOUR = "ev-neighbour";
  private static final String ELSEWHERE = "ev-elsewhere";
  private static final String LATE = "ev-late";
  private static final String WARD = "Ward EV";
  private static final Instant LONG_AGO = Instant.parse("2026-01-02T00:00:00Z");

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired MeasurementStore store;
  @Autowired MeasurementIds ids;
  @Autowired Alarms alarms;
  @Autowired EarlyWarningScores scores;
  @Autowired UserAccounts users;
  @Autowired AuditTrail audit;

  private VigilApi api;
  private String system;
  private String patientsOnly;
  private String nurse;
  private String patient;
  private String admin;
  private final Set<String> oldReadings = new HashSet<>();
  private final Set<String> newReadings = new HashSet<>();
  private String manualEntry;
  private String flag;
  private String news2;
  private Instant between;

  @BeforeAll
  void record() {
    api = api();
    admit(PATIENT, WARD);
    admit(NEIGHBOUR, WARD);
    admit(ELSEWHERE, "Ward EV-other");
    admit(LATE, WARD);
    TestWard ward = new TestWard(patients, devices);
    ward.device("ev-monitor", "bedside-monitor", PATIENT);
    ward.device("ev-neighbour-monitor", "bedside-monitor", NEIGHBOUR);

    List<Measurement> readings = new ArrayList<>();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < 240; i++) {
      boolean old = i < 120;
      Instant at = now.minusSeconds(1_000 - i);
      Instant received = old ? LONG_AGO.plusSeconds(i) : at;
      Measurement m =
          new Measurement(
              ids.next(),
              PATIENT,
              "ev-monitor",
              "8867-4",
              147842,
              60 + i % 30,
              "/min",
              at,
              received);
      readings.add(m);
      (old ? oldReadings : newReadings).add(Long.toString(m.id()));
    }
    for (int i = 0; i < 150; i++) {
      readings.add(heartRate(LATE, now.minusSeconds(500 - i)));
    }
    readings.add(
        new Measurement(
            ids.next(), NEIGHBOUR, "ev-neighbour-monitor", "8867-4", 147842, 80, "/min", now, now));
    store.append(readings);
    between = LONG_AGO.plus(1, ChronoUnit.DAYS);

    flag =
        Long.toString(
            alarms
                .raise(PATIENT, "news2", AlarmPriority.HIGH, "NEWS2 7 (high clinical risk)")
                .id());
    alarms.raise(NEIGHBOUR, "news2", AlarmPriority.LOW, "NEWS2 1 (low clinical risk)");
    Map<News2Parameter, News2Score.Absence> absent = new EnumMap<>(News2Parameter.class);
    for (News2Parameter p : News2Parameter.values()) {
      absent.put(p, News2Score.Absence.missing());
    }
    news2 =
        News2Observations.ID_PREFIX
            + scores
                .save(new News2Score(0, PATIENT, now, SpO2Scale.SCALE_1, Map.of(), absent))
                .id();

    system = api.token("ev-ehr", clients.register("ev-ehr", Set.of("system/*.rs"), "EHR"), null);
    patientsOnly =
        api.token(
            "ev-narrow",
            clients.register("ev-narrow", Set.of("system/Patient.rs"), "narrow"),
            null);
    users.save(new UserAccount("ev-nurse", Role.NURSE, "ev-nurse", Optional.empty(), true), "pw-n");
    users.setWards("ev-nurse", Set.of(WARD));
    nurse =
        new WebSignIn(api.base())
            .accessToken("ev-nurse", "pw-n", "openid user/*.rs user/Observation.c");
    users.save(
        new UserAccount("ev-self", Role.PATIENT, "ev-self", Optional.of(PATIENT), true), "pw-p");
    patient = new WebSignIn(api.base()).accessToken("ev-self", "pw-p", "openid patient/*.rs");
    users.save(new UserAccount("ev-admin", Role.ADMIN, "ev-admin", Optional.empty(), true), "pw-a");
    admin = new WebSignIn(api.base()).accessToken("ev-admin", "pw-a", "openid user/*.rs");

    // a respiratory rate the nurse counted, stored as a reading like any other
    Observation counted = new Observation();
    counted.setStatus(Observation.ObservationStatus.FINAL);
    counted.getCode().addCoding(new Coding("http://loinc.org", "9279-1", null));
    counted.setSubject(new Reference("Patient/" + PATIENT));
    counted.setEffective(new DateTimeType(Date.from(now.minusSeconds(30))));
    counted.setValue(
        new Quantity()
            .setValue(BigDecimal.valueOf(18))
            .setSystem("http://unitsofmeasure.org")
            .setCode("/min"));
    manualEntry = api.fhir(nurse).create().resource(counted).execute().getId().getIdPart();
  }

  private Measurement heartRate(String patientId, Instant at) {
    return new Measurement(
        ids.next(), patientId, "ev-monitor", "8867-4", 147842, 70, "/min", at, at);
  }

  private void admit(String id, String ward) {
    patients.save(
        new org.vigil.patient.Patient(
            id,
            "MRN-" + id,
            "Nyberg",
            "Elsa",
            Optional.empty(),
            "female",
            Optional.of(ward),
            Optional.of("Bed 1"),
            Instant.now()));
  }

  private static Bundle everything(IGenericClient fhir, String id, Parameters parameters) {
    return fhir.operation()
        .onInstance(new IdType("Patient", id))
        .named("$everything")
        .withParameters(parameters)
        .useHttpGet()
        .returnResourceType(Bundle.class)
        .execute();
  }

  private static Parameters count(int count) {
    Parameters parameters = new Parameters();
    parameters.addParameter().setName("_count").setValue(new IntegerType(count));
    return parameters;
  }

  /** Every resource of every page, in order, and how many pages there were. */
  private record Paged(List<Resource> resources, int pages, int total) {}

  private static Paged allPages(IGenericClient fhir, Bundle page) {
    List<Resource> resources = new ArrayList<>();
    int pages = 0;
    int total = page.getTotal();
    while (true) {
      pages++;
      page.getEntry().forEach(e -> resources.add(e.getResource()));
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        return new Paged(resources, pages, total);
      }
      page = fhir.loadPage().next(page).execute();
    }
  }

  private static List<String> ids(List<Resource> resources, String type) {
    return resources.stream()
        .filter(r -> r.fhirType().equals(type))
        .map(r -> r.getIdElement().getIdPart())
        .toList();
  }

  @Test
  void pagesThroughTheWholeRecordOfOnePatientWithoutRepeats() {
    IGenericClient fhir = api.fhir(system);
    Paged all = allPages(fhir, everything(fhir, PATIENT, count(50)));

    // Patient, 1 Device, 1 Flag, NEWS2 (the one saved, and any analytics scored from the
    // nurse's entry), 240 readings and the nurse's entry
    assertThat(all.resources()).hasSizeGreaterThanOrEqualTo(245);
    assertThat(all.total()).isEqualTo(all.resources().size());
    assertThat(all.pages()).isEqualTo((all.resources().size() + 49) / 50);
    assertThat(all.resources().getFirst()).isInstanceOf(Patient.class);
    assertThat(all.resources().getFirst().getIdElement().getIdPart()).isEqualTo(PATIENT);
    assertThat(ids(all.resources(), "Device")).containsExactly("ev-monitor");
    assertThat(ids(all.resources(), "Flag")).contains(flag);
    List<String> observations = ids(all.resources(), "Observation");
    assertThat(new HashSet<>(observations)).hasSize(observations.size());
    assertThat(observations)
        .contains(news2, manualEntry)
        .containsAll(oldReadings)
        .containsAll(newReadings);
    for (Resource r : all.resources()) {
      String subject =
          switch (r) {
            case Patient p -> "Patient/" + p.getIdPart();
            case Device d -> d.getPatient().getReference();
            case Flag f -> f.getSubject().getReference();
            case Observation o -> o.getSubject().getReference();
            default -> r.fhirType();
          };
      assertThat(subject).as(r.getId()).isEqualTo("Patient/" + PATIENT);
    }
  }

  @Test
  void aReadingArrivingWhilePagingDoesNotShiftThePagesToCome() {
    IGenericClient fhir = api.fhir(system);
    Bundle first = everything(fhir, LATE, count(100));
    // taken before every reading of the first page, it sorts before them: the next page, which
    // starts after the first page's last reading, neither repeats one nor skips one
    store.append(List.of(heartRate(LATE, LONG_AGO.plusSeconds(5))));
    Paged rest = allPages(fhir, fhir.loadPage().next(first).execute());
    Set<String> seen = new HashSet<>();
    first.getEntry().forEach(e -> seen.add(e.getResource().getIdElement().getIdPart()));
    for (Resource r : rest.resources()) {
      assertThat(seen.add(r.getIdElement().getIdPart())).as(r.getId()).isTrue();
    }
    assertThat(seen).hasSize(151); // the Patient and 150 readings
  }

  @Test
  void typeAndSinceNarrowTheRecord() {
    IGenericClient fhir = api.fhir(system);
    Parameters asked = count(1000);
    asked.addParameter().setName("_type").setValue(new StringType("Observation,Flag"));
    asked.addParameter().setName("_since").setValue(new InstantType(Date.from(between)));
    Paged all = allPages(fhir, everything(fhir, PATIENT, asked));

    assertThat(all.resources()).extracting(Resource::fhirType).containsOnly("Observation", "Flag");
    assertThat(ids(all.resources(), "Observation"))
        .containsAll(newReadings)
        .contains(manualEntry, news2)
        .doesNotContainAnyElementsOf(oldReadings);
  }

  @Test
  void aSinceThatIsNotAnInstantOrATypeNotInARecordIsABadRequest() {
    HttpResponse<String> since =
        api.get("/fhir/Patient/" + PATIENT + "/$everything?_since=yesterday", system);
    assertThat(since.statusCode()).as(since.body()).isEqualTo(400);
    assertThat(since.body()).contains("OperationOutcome").contains("_since");

    HttpResponse<String> type =
        api.get("/fhir/Patient/" + PATIENT + "/$everything?_type=Encounter", system);
    assertThat(type.statusCode()).isEqualTo(400);
    assertThat(type.body()).contains("_type 'Encounter'");
  }

  @Test
  void aClientGetsOnlyTheTypesItsScopesLetItRead() {
    Paged all =
        allPages(api.fhir(patientsOnly), everything(api.fhir(patientsOnly), PATIENT, count(10)));
    assertThat(all.resources()).extracting(Resource::fhirType).containsExactly("Patient");

    HttpResponse<String> refused =
        api.get("/fhir/Patient/" + PATIENT + "/$everything?_type=Observation", patientsOnly);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("OperationOutcome").contains("Observation");
  }

  @Test
  void aNurseGetsThePatientsOfHerWardOnly() {
    IGenericClient fhir = api.fhir(nurse);
    Paged all = allPages(fhir, everything(fhir, PATIENT, count(100)));
    assertThat(all.pages()).isGreaterThan(1);
    assertThat(all.resources()).hasSizeGreaterThanOrEqualTo(245);

    assertThatThrownBy(() -> everything(fhir, ELSEWHERE, count(10)))
        .isInstanceOf(ForbiddenOperationException.class);
    HttpResponse<String> refused = api.get("/fhir/Patient/" + ELSEWHERE + "/$everything", nurse);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(VigilApi.json(refused.body()).path("resourceType").asString())
        .isEqualTo("OperationOutcome");
  }

  @Test
  void aPatientGetsTheirOwnRecordOnlyAndOthersNone() {
    IGenericClient fhir = api.fhir(patient);
    Paged own = allPages(fhir, everything(fhir, PATIENT, count(200)));
    assertThat(own.resources().getFirst().getIdElement().getIdPart()).isEqualTo(PATIENT);
    assertThat(own.pages()).isGreaterThan(1);

    assertThatThrownBy(() -> everything(fhir, NEIGHBOUR, count(10)))
        .isInstanceOf(ForbiddenOperationException.class);
    assertThatThrownBy(() -> everything(api.fhir(admin), PATIENT, count(10)))
        .isInstanceOf(ForbiddenOperationException.class);
  }

  @Test
  void aFurtherPageNeedsTheScopesOfWhatItHolds() {
    Bundle first = everything(api.fhir(system), PATIENT, count(50));
    String next = first.getLink(Bundle.LINK_NEXT).getUrl();
    String query = next.substring(next.indexOf('?'));

    assertThat(api.get("/fhir" + query, system).statusCode()).isEqualTo(200);
    assertThat(api.get("/fhir" + query, patientsOnly).statusCode()).isEqualTo(403);
    assertThat(api.get("/fhir" + query, nurse).statusCode()).isEqualTo(200);
    assertThat(api.get("/fhir?_getpages=x&_pageId=Everything.bm9wZQ", system).statusCode())
        .isEqualTo(400);
  }

  @Test
  void everyPageIsAuditedAsAnAccessToThePatient() {
    IGenericClient fhir = api.fhir(nurse);
    allPages(fhir, everything(fhir, PATIENT, count(100)));
    List<AuditEvent> events = audit.search(AuditQuery.all().byAgent("ev-nurse").page(0, 1000));
    assertThat(events)
        .filteredOn(e -> e.entry().what().contains("Patient/" + PATIENT + "/$everything"))
        .isNotEmpty()
        .allMatch(e -> e.entry().patients().equals(Set.of(PATIENT)));
    assertThat(events)
        .filteredOn(e -> e.entry().what().startsWith("get-page"))
        .isNotEmpty()
        .allMatch(e -> e.entry().patients().contains(PATIENT));

    api.get("/fhir/Patient/" + ELSEWHERE + "/$everything", nurse);
    assertThat(audit.search(AuditQuery.all().forPatient(ELSEWHERE).page(0, 100)))
        .as("the refusal is audited too")
        .anyMatch(e -> e.entry().what().contains("$everything") && e.entry().outcome() != 0);
  }
}
