package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
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
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilServerTest;

/**
 * Blood pressure searched as the vital-signs panel (85354-9): each source's systolic and diastolic
 * readings of one moment make one panel, paged like any Observation search, read back by id, and
 * valid against the {@code bp} profile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BloodPressurePanelIT extends VigilServerTest {

  private static final String PATIENT = "bp-patient";
  private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired MeasurementStore store;
  @Autowired MeasurementIds ids;

  private IGenericClient fhir;

  @BeforeAll
  void readings() {
    TestWard ward = new TestWard(patients, devices);
    ward.device("bp-cuff", "bp-monitor", PATIENT);
    ward.device("bp-monitor", "bedside-monitor", PATIENT);
    List<Measurement> readings = new ArrayList<>();
    for (int minute = 0; minute < 5; minute++) {
      Instant at = T0.plusSeconds(60L * minute);
      readings.add(reading("bp-cuff", "8480-6", 150021, 120 + minute, at));
      if (minute != 2) { // a cuff reading whose diastolic never came makes no panel
        readings.add(reading("bp-cuff", "8462-4", 150022, 80 + minute, at));
      }
    }
    // the bedside monitor's diastolic at the cuff's time is not the cuff's
    readings.add(reading("bp-monitor", "8462-4", 150022, 60, T0));
    readings.add(reading("bp-monitor", "8480-6", 150021, 110, T0.plusSeconds(30)));
    readings.add(reading("bp-monitor", "8462-4", 150022, 70, T0.plusSeconds(30)));
    store.append(readings);
    fhir =
        api()
            .fhir(
                api()
                    .token(
                        "bp-ehr",
                        clients.register("bp-ehr", Set.of("system/*.rs"), "bp panel test"),
                        null));
  }

  private Measurement reading(String device, String code, int mdc, double value, Instant at) {
    return new Measurement(ids.next(), PATIENT, device, code, mdc, value, "mm[Hg]", at, at);
  }

  @Test
  void pagesThroughPanelsOfSystolicAndDiastolicTakenTogether() {
    Bundle page =
        fhir.search()
            .forResource(Observation.class)
            .where(Observation.PATIENT.hasId(PATIENT))
            .and(Observation.CODE.exactly().systemAndCode("http://loinc.org", "85354-9"))
            .count(2)
            .returnBundle(Bundle.class)
            .execute();
    List<Observation> panels = new ArrayList<>();
    int pages = 0;
    while (true) {
      pages++;
      page.getEntry().forEach(e -> panels.add((Observation) e.getResource()));
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        break;
      }
      page = fhir.loadPage().next(page).execute();
    }

    assertThat(pages).isGreaterThan(1);
    assertThat(panels)
        .extracting(BloodPressurePanelIT::describe)
        .containsExactly(
            "bp-cuff 124/84",
            "bp-cuff 123/83",
            "bp-cuff 121/81",
            "bp-monitor 110/70",
            "bp-cuff 120/80");
    ProfileValidator.assertValid(panels);

    Observation read =
        fhir.read().resource(Observation.class).withId(panels.getFirst().getIdPart()).execute();
    assertThat(describe(read)).isEqualTo("bp-cuff 124/84");
    assertThat(read.getDerivedFrom()).hasSize(2);
  }

  @Test
  void panelsAreSearchedOnTheirOwn() {
    assertThatThrownBy(() ->
            fhir.search()
                .byUrl("Observation?patient=" + PATIENT + "&code=85354-9,8867-4")
                .returnBundle(Bundle.class)
                .execute())
        .isInstanceOf(InvalidRequestException.class);
  }

  /** A panel as a clinician reads it: source, systolic/diastolic. */
  private static String describe(Observation panel) {
    assertThat(panel.getCode().getCodingFirstRep().getCode()).isEqualTo("85354-9");
    return panel.getDevice().getReferenceElement().getIdPart()
        + " "
        + panel.getComponent().get(0).getValueQuantity().getValue().intValue()
        + "/"
        + panel.getComponent().get(1).getValueQuantity().getValue().intValue();
  }
}
