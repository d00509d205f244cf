package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.testsupport.ProfileValidator;

/**
 * Every kind of reading Vigil stores is published as an Observation that HAPI's FHIR validator
 * (offline, no terminology server) finds free of errors against the profile it claims — the R4
 * vital-signs profiles for vital signs.
 */
class ObservationProfileTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final MeasurementCatalog CATALOG = MeasurementCatalog.standard();

  static Stream<Measurement> oneOfEachKind() {
    Instant t = Instant.parse("2026-11-24T10:00:00.250Z");
    return Stream.of(
        reading("8867-4", 147842, 72, "/min", t),
        reading("59408-5", 150456, 97, "%", t),
        reading("2708-6", 0, 96.5, "%", t),
        reading("9279-1", 151562, 16, "/min", t),
        reading("8480-6", 150021, 121, "mm[Hg]", t),
        reading("8462-4", 150022, 79, "mm[Hg]", t),
        reading("8478-0", 150023, 93, "mm[Hg]", t),
        reading("8310-5", 150344, 37.2, "Cel", Instant.parse("2026-11-24T10:00:00Z")),
        reading("29463-7", 0, 71.35, "kg", t),
        reading("8302-2", 0, 172, "cm", t),
        reading("39156-5", 0, 23.1, "kg/m2", t),
        reading("2339-0", 0, 104, "mg/dL", t),
        reading("41653-7", 0, 98, "mg/dL", t),
        reading("3151-8", 0, 2, "L/min", t),
        reading("3150-0", 0, 28, "%", t));
  }

  /** What nurses and clinicians enter through the API: the source is a person, not a device. */
  static Stream<Measurement> manualEntries() {
    Instant t = Instant.parse("2026-11-24T10:05:00Z");
    return Stream.of(
        manual("67775-7", Consciousness.ALERT.ordinal(), Consciousness.UNIT, t),
        manual("67775-7", Consciousness.NEW_CONFUSION.ordinal(), Consciousness.UNIT, t),
        manual("67775-7", Consciousness.UNRESPONSIVE.ordinal(), Consciousness.UNIT, t),
        manual("9279-1", 18, "/min", t),
        manual("8480-6", 135, "mm[Hg]", t),
        manual("8310-5", 38.1, "Cel", t),
        manual("3151-8", 0, "L/min", t),
        manual("3150-0", 21, "%", t));
  }

  private static Measurement manual(String code, double value, String unit, Instant time) {
    return new Measurement(
        383_724_665_719_226_370L,
        "patient-001",
        Measurement.MANUAL_ENTRY_PREFIX + "nurse-kim",
        code,
        0,
        value,
        unit,
        time,
        time.plusSeconds(30));
  }

  private static Measurement reading(
      String code, int mdc, double value, String unit, Instant time) {
    return new Measurement(
        383_724_665_719_226_369L,
        "patient-001",
        "monitor-001",
        code,
        mdc,
        value,
        unit,
        time,
        time.plusMillis(40));
  }

  @ParameterizedTest
  @MethodSource("oneOfEachKind")
  void validatesAgainstItsProfileWithoutErrors(Measurement m) {
    Observation observation = new ObservationMapper(CATALOG).toObservation(m);

    ProfileValidator.assertValid(List.of(observation));
  }

  @ParameterizedTest
  @MethodSource("manualEntries")
  void aManualEntryValidatesWithoutErrors(Measurement m) {
    Observation observation = new ObservationMapper(CATALOG).toObservation(m);

    ProfileValidator.assertValid(List.of(observation));
  }

  @ParameterizedTest
  @MethodSource("manualEntries")
  void aManualEntryNamesWhoEnteredItAndNoDevice(Measurement m) {
    Observation observation = new ObservationMapper(CATALOG).toObservation(m);

    assertThat(observation.getPerformer())
        .extracting(r -> r.getReference())
        .containsExactly("Practitioner/nurse-kim");
    assertThat(observation.hasDevice()).isFalse();
    assertThat(observation.getSubject().getReference()).isEqualTo("Patient/patient-001");
  }

  @ParameterizedTest
  @EnumSource(Consciousness.class)
  void aLevelOfConsciousnessIsTheSnomedFindingInTheSurveyCategory(Consciousness level) {
    Instant t = Instant.parse("2026-11-24T10:05:00Z");
    Observation observation =
        new ObservationMapper(CATALOG)
            .toObservation(manual("67775-7", level.ordinal(), Consciousness.UNIT, t));

    assertThat(observation.hasValueQuantity()).isFalse();
    Coding finding = observation.getValueCodeableConcept().getCodingFirstRep();
    assertThat(finding.getSystem()).isEqualTo("http://snomed.info/sct");
    assertThat(finding.getCode()).isEqualTo(level.snomedCode());
    assertThat(finding.getDisplay()).isEqualTo(level.display());
    assertThat(observation.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("survey");
    assertThat(observation.getCode().getCoding())
        .extracting(c -> c.getSystem() + "|" + c.getCode())
        .containsExactly(
            "http://loinc.org|67775-7", "http://snomed.info/sct|" + Consciousness.SNOMED_SCALE);
    ProfileValidator.assertValid(List.of(observation));
  }

  @Test
  void aBloodPressurePanelValidatesAgainstTheBpProfile() {
    Instant t = Instant.parse("2026-11-24T10:00:00.250Z");
    Measurement systolic = reading("8480-6", 150021, 121, "mm[Hg]", t);
    Measurement diastolic =
        new Measurement(
            systolic.id() + 1, "patient-001", "monitor-001", "8462-4", 150022, 79, "mm[Hg]", t, t);

    Observation panel = new ObservationMapper(CATALOG).toPanel(systolic, diastolic);

    assertThat(panel.getMeta().getProfile())
        .extracting(p -> p.getValue())
        .containsExactly("http://hl7.org/fhir/StructureDefinition/bp");
    assertThat(panel.getCode().getCodingFirstRep().getCode()).isEqualTo("85354-9");
    assertThat(panel.getComponent())
        .extracting(
            c -> c.getCode().getCodingFirstRep().getCode() + "=" + c.getValueQuantity().getValue())
        .containsExactly("8480-6=121", "8462-4=79");
    assertThat(panel.getDerivedFrom())
        .extracting(r -> r.getReference())
        .containsExactly("Observation/" + systolic.id(), "Observation/" + diastolic.id());
    assertThat(panel.getDevice().getReference()).isEqualTo("Device/monitor-001");
    ProfileValidator.assertValid(List.of(panel));

    Measurement enteredSystolic = manual("8480-6", 142, "mm[Hg]", t);
    Measurement enteredDiastolic =
        new Measurement(
            enteredSystolic.id() + 1,
            "patient-001",
            enteredSystolic.deviceId(),
            "8462-4",
            0,
            88,
            "mm[Hg]",
            t,
            t);
    Observation entered = new ObservationMapper(CATALOG).toPanel(enteredSystolic, enteredDiastolic);
    assertThat(entered.getPerformerFirstRep().getReference()).isEqualTo("Practitioner/nurse-kim");
    ProfileValidator.assertValid(List.of(entered));
  }

  @ParameterizedTest
  @MethodSource("oneOfEachKind")
  void carriesTheReadingUnchanged(Measurement m) {
    Observation observation = new ObservationMapper(CATALOG).toObservation(m);

    Quantity quantity = observation.getValueQuantity();
    assertThat(quantity.getValue().doubleValue()).isEqualTo(m.value());
    assertThat(quantity.getCode()).isEqualTo(m.unit());
    assertThat(quantity.getSystem()).isEqualTo("http://unitsofmeasure.org");
    assertThat(observation.getCode().getCodingFirstRep().getCode()).isEqualTo(m.code());
    assertThat(observation.getEffectiveDateTimeType().getValue().toInstant())
        .isEqualTo(m.effectiveAt());
    assertThat(observation.getSubject().getReference()).isEqualTo("Patient/patient-001");
    assertThat(observation.getDevice().getReference()).isEqualTo("Device/monitor-001");
    assertThat(observation.getIdPart()).isEqualTo(Long.toString(m.id()));
    if (m.hasMdcCode()) {
      assertThat(observation.getCode().getCoding())
          .anySatisfy(c -> {
            assertThat(c.getSystem()).isEqualTo("urn:iso:std:iso:11073:10101");
            assertThat(c.getCode()).isEqualTo(Integer.toString(m.mdcCode()));
          });
    }
  }
}
