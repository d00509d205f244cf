package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
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
    return new Measurement(
        ids.next(), patient, "api-monitor-1", "8867-4", 147842, value, "/min", at, at);
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
