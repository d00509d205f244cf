package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Period;
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
 * The FHIR API driven by HAPI's generic client, a client no one here wrote: searches, paging
 * through a long history and the operations a dashboard calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservationApiIT extends VigilServerTest {

  private static final String LOINC = "http://loinc.org";
  private static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired MeasurementStore store;
  @Autowired MeasurementIds ids;

  private VigilApi api;
  private String readToken;
  private String patientsOnlyToken;

  @BeforeAll
  void ward() {
    api = api();
    TestWard ward = new TestWard(patients, devices);
    ward.patient("api-long-stay");
    ward.device("api-monitor-1", "bedside-monitor", "api-long-stay");
    String secret = clients.register("api-ehr", Set.of("system/*.rs"), "FHIR API test EHR");
    readToken = api.token("api-ehr", secret, null);
    String narrow = clients.register("api-narrow", Set.of("system/Patient.rs"), "patients only");
    patientsOnlyToken = api.token("api-narrow", narrow, null);

    List<Measurement> history = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      history.add(heartRate("api-long-stay", T0.plusSeconds(i), 60 + i % 40));
    }
    store.append(history);
  }

  private Measurement heartRate(String patient, Instant at, double value) {
    return reading(patient, "8867-4", at, value, "/min");
  }

  private Measurement reading(String patient, String code, Instant at, double value, String unit) {
    return new Measurement(ids.next(), patient, "api-monitor-1", code, 0, value, unit, at, at);
  }

  private Bundle firstPage(IGenericClient fhir) {
    return fhir.search()
        .forResource(Observation.class)
        .where(Observation.PATIENT.hasId("api-long-stay"))
        .and(Observation.CODE.exactly().systemAndCode(LOINC, "8867-4"))
        .count(1000)
        .returnBundle(Bundle.class)
        .execute();
  }

  @Test
  void pagesThroughTenThousandObservationsNewestFirstWithoutRepeats() {
    IGenericClient fhir = api.fhir(readToken);
    Bundle page = firstPage(fhir);
    assertThat(page.getTotal()).isEqualTo(10_000);

    List<Instant> times = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int pages = 0;
    while (true) {
      pages++;
      for (Bundle.BundleEntryComponent entry : page.getEntry()) {
        Observation o = (Observation) entry.getResource();
        assertThat(seen.add(o.getIdPart())).as("seen once: " + o.getIdPart()).isTrue();
        times.add(o.getEffectiveDateTimeType().getValue().toInstant());
      }
      if (pages == 1) {
        // A reading arriving mid-way sorts first; it must not shift the pages still to come.
        store.append(List.of(heartRate("api-long-stay", T0.plusSeconds(20_000), 99)));
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        break;
      }
      page = fhir.loadPage().next(page).execute();
    }
    assertThat(pages).isEqualTo(10);
    assertThat(seen).hasSize(10_000);
    assertThat(times).first().isEqualTo(T0.plusSeconds(9_999));
    assertThat(times).last().isEqualTo(T0);
    assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  @Test
  void lastnGivesAWardsLatestReadingsPerCodeInOneCall() {
    TestWard ward = new TestWard(patients, devices);
    List<String> beds = List.of("api-bed-1", "api-bed-2", "api-bed-3");
    List<Measurement> readings = new ArrayList<>();
    for (String bed : beds) {
      ward.patient(bed);
      for (int i = 0; i < 5; i++) {
        readings.add(reading(bed, "8867-4", T0.plusSeconds(i), 70 + i, "/min"));
        readings.add(reading(bed, "59408-5", T0.plusSeconds(i), 90 + i, "%"));
      }
    }
    store.append(readings);

    Parameters in = new Parameters();
    in.addParameter("patient", String.join(",", beds));
    in.addParameter("max", new IntegerType(2));
    Bundle latest =
        api.fhir(readToken)
            .operation()
            .onType(Observation.class)
            .named("$lastn")
            .withParameters(in)
            .useHttpGet()
            .returnResourceType(Bundle.class)
            .execute();

    assertThat(latest.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
    assertThat(latest.getEntry())
        .extracting(e -> (Observation) e.getResource())
        .extracting(o ->
            o.getSubject().getReferenceElement().getIdPart()
                + " "
                + o.getCode().getCodingFirstRep().getCode()
                + " "
                + o.getValueQuantity().getValue().toPlainString())
        .containsExactlyInAnyOrder(
            "api-bed-1 8867-4 74",
            "api-bed-1 8867-4 73",
            "api-bed-1 59408-5 94",
            "api-bed-1 59408-5 93",
            "api-bed-2 8867-4 74",
            "api-bed-2 8867-4 73",
            "api-bed-2 59408-5 94",
            "api-bed-2 59408-5 93",
            "api-bed-3 8867-4 74",
            "api-bed-3 8867-4 73",
            "api-bed-3 59408-5 94",
            "api-bed-3 59408-5 93");
  }

  @Test
  void searchesByDeviceCategoryAndLastUpdatedAlsoOnLaterPages() {
    TestWard ward = new TestWard(patients, devices);
    ward.patient("api-filters");
    Instant stored = Instant.parse("2026-11-21T12:00:00Z");
    List<Measurement> readings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Instant at = T0.plusSeconds(i);
      readings.add(
          new Measurement(
              ids.next(), "api-filters", "api-dev-a", "8867-4", 0, 70 + i, "/min", at, stored));
      readings.add(
          new Measurement(
              ids.next(),
              "api-filters",
              "api-dev-b",
              "8867-4",
              0,
              80 + i,
              "/min",
              at,
              stored.plusSeconds(3600)));
    }
    readings.add(
        new Measurement(
            ids.next(), "api-filters", "api-dev-a", "2339-0", 0, 104, "mg/dL", T0, stored));
    store.append(readings);

    assertThat(values("patient=api-filters&device=Device/api-dev-b&_count=1"))
        .as("every page keeps the filter")
        .containsExactly("82", "81", "80");
    assertThat(values("patient=api-filters&category=vital-signs"))
        .containsExactlyInAnyOrder("70", "71", "72", "80", "81", "82");
    assertThat(values("patient=api-filters&category=laboratory")).containsExactly("104");
    assertThat(values("patient=api-filters&_lastUpdated=ge2026-11-21T12:30:00Z"))
        .containsExactlyInAnyOrder("80", "81", "82");
    assertThat(values("patient=api-filters&device=Device/nothing-like-it")).isEmpty();
  }

  @Test
  void includesThePatientAndTheDeviceOnEveryPage() {
    IGenericClient fhir = api.fhir(readToken);
    Bundle first =
        fhir.search()
            .byUrl(
                "Observation?patient=api-long-stay&_count=5"
                    + "&_include=Observation:patient&_include=Observation:device")
            .returnBundle(Bundle.class)
            .execute();
    for (Bundle page : List.of(first, fhir.loadPage().next(first).execute())) {
      assertThat(page.getEntry())
          .filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
          .hasSize(5);
      assertThat(page.getEntry())
          .filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
          .extracting(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
          .containsExactlyInAnyOrder("Patient/api-long-stay", "Device/api-monitor-1");
    }
  }

  @Test
  void findsPatientsByNameIgnoringCaseAndAccentsAndByBirthDate() {
    patients.save(
        new org.vigil.patient.Patient(
            "api-mueller",
            "MRN-API-MUELLER",
            "Müller",
            "Zoë",
            java.util.Optional.of(java.time.LocalDate.of(1951, 3, 14)),
            "female",
            java.util.Optional.of("Ward 7B"),
            java.util.Optional.empty(),
            Instant.now()));
    IGenericClient fhir = api.fhir(readToken);

    assertThat(patientIds(fhir, "Patient?name=muller")).containsExactly("api-mueller");
    assertThat(patientIds(fhir, "Patient?name=ZOE")).containsExactly("api-mueller");
    assertThat(patientIds(fhir, "Patient?name:exact=muller")).isEmpty();
    assertThat(patientIds(fhir, "Patient?name:exact=Müller")).containsExactly("api-mueller");
    assertThat(patientIds(fhir, "Patient?birthdate=1951-03-14")).containsExactly("api-mueller");
    assertThat(patientIds(fhir, "Patient?name=muller&birthdate=lt1951-03-14")).isEmpty();
    assertThat(patientIds(fhir, "Patient?birthdate=ge1951-03-01&birthdate=le1951-03-31"))
        .containsExactly("api-mueller");
  }

  private static List<String> patientIds(IGenericClient fhir, String query) {
    return fhir.search().byUrl(query).returnBundle(Bundle.class).execute().getEntry().stream()
        .map(e -> e.getResource().getIdElement().getIdPart())
        .toList();
  }

  /** The values of every Observation a search finds, following next links. */
  private List<String> values(String query) {
    IGenericClient fhir = api.fhir(readToken);
    Bundle page = fhir.search().byUrl("Observation?" + query).returnBundle(Bundle.class).execute();
    List<String> values = new ArrayList<>();
    while (true) {
      page.getEntry()
          .forEach(e ->
              values.add(
                  ((Observation) e.getResource()).getValueQuantity().getValue().toPlainString()));
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        return values;
      }
      page = fhir.loadPage().next(page).execute();
    }
  }

  @Test
  void lastnForEveryPatientIsNotWhatASystemMayAsk() {
    HttpResponse<String> response = api.get("/fhir/Observation/$lastn", readToken);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("name the patients");
  }

  @Test
  void statsSummariseAPeriodOfOnePatientsReadings() {
    Parameters in = new Parameters();
    in.addParameter("patient", "api-long-stay");
    in.addParameter("code", "http://loinc.org|8867-4");
    for (String statistic : List.of("count", "minimum", "maximum", "average", "median")) {
      in.addParameter("statistic", new CodeType(statistic));
    }
    in.addParameter()
        .setName("period")
        .setValue(new Period().setStart(Date.from(T0)).setEnd(Date.from(T0.plusSeconds(9_999))));

    Parameters out =
        api.fhir(readToken)
            .operation()
            .onType(Observation.class)
            .named("$stats")
            .withParameters(in)
            .execute();

    Observation statistics = (Observation) out.getParameterFirstRep().getResource();
    assertThat(statistics.getSubject().getReference()).isEqualTo("Patient/api-long-stay");
    assertThat(statistics.getCode().getCodingFirstRep().getCode()).isEqualTo("8867-4");
    // 60..99 bpm, each value 250 times: the middle two of 10,000 sorted readings are 79 and 80.
    assertThat(component(statistics, "count").getValueIntegerType().getValue()).isEqualTo(10_000);
    assertThat(component(statistics, "minimum").getValueQuantity().getValue())
        .isEqualByComparingTo("60");
    assertThat(component(statistics, "maximum").getValueQuantity().getValue())
        .isEqualByComparingTo("99");
    assertThat(component(statistics, "average").getValueQuantity().getValue())
        .isEqualByComparingTo("79.5");
    assertThat(component(statistics, "median").getValueQuantity().getValue())
        .isEqualByComparingTo("79.5");
    assertThat(component(statistics, "median").getValueQuantity().getCode()).isEqualTo("/min");
  }

  @Test
  void aStatisticVigilDoesNotComputeIsABadRequestNamingIt() {
    HttpResponse<String> response =
        api.get(
            "/fhir/Observation/$stats?patient=api-long-stay&code=8867-4&duration=24"
                + "&statistic=kurtosis",
            readToken);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("statistic 'kurtosis' is not one Vigil computes");
  }

  private static Observation.ObservationComponentComponent component(
      Observation statistics, String code) {
    return statistics.getComponent().stream()
        .filter(c -> c.getCode().getCodingFirstRep().getCode().equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + code + " component"));
  }

  @Test
  void aPageIdThisServerDidNotWriteIsABadRequest() {
    HttpResponse<String> response =
        api.get("/fhir?_getpages=x&_pageId=Observation.bm90LWEtdG9rZW4", readToken);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(VigilApi.json(response.body()).path("issue").get(0).path("diagnostics").asString())
        .contains("_pageId is not a page of an Observation search");
  }

  @Test
  void aFurtherPageOfObservationsNeedsTheScopeToSearchObservations() {
    String next = firstPage(api.fhir(readToken)).getLink(Bundle.LINK_NEXT).getUrl();
    String query = next.substring(next.indexOf('?'));

    assertThat(api.get("/fhir" + query, readToken).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = api.get("/fhir" + query, patientsOnlyToken);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("Observation");
  }
}
