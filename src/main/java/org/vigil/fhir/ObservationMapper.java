package org.vigil.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementType;

/**
 * Publishes a stored reading as a FHIR R4 Observation that follows the vital-signs profiles:
 * category, LOINC code (plus any code the profile requires and the source's MDC code), UCUM
 * quantity, effective time, subject and device — or, for a reading a person entered, the
 * practitioner who did ({@code performer}) and no device. A level of consciousness is a SNOMED CT
 * coded finding, not a quantity.
 */
@Component
public class ObservationMapper {

  static final String LOINC = "http://loinc.org";
  static final String UCUM = "http://unitsofmeasure.org";
  static final String MDC = "urn:iso:std:iso:11073:10101";
  static final String SNOMED = "http://snomed.info/sct";
  static final String CATEGORY_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/observation-category";

  static final String PROFILE_BP = "http://hl7.org/fhir/StructureDefinition/bp";

  /**
   * Every Observation's only version: a reading is never changed once stored, nor what is derived
   * from readings (a blood pressure panel) or stored once (a NEWS2 score).
   */
  static final String VERSION = "1";

  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private final MeasurementCatalog catalog;

  public ObservationMapper(MeasurementCatalog catalog) {
    this.catalog = catalog;
  }

  public Observation toObservation(Measurement m) {
    Observation observation = new Observation();
    observation.setId(String.valueOf(m.id()));
    observation.getMeta().setVersionId(VERSION).setLastUpdated(Date.from(m.receivedAt()));
    observation.setStatus(Observation.ObservationStatus.FINAL);
    MeasurementType type = catalog.find(m.code()).orElse(null);
    CodeableConcept code = observation.getCode();
    if (type != null) {
      type.profile().ifPresent(p -> observation.getMeta().addProfile(p));
      observation
          .addCategory()
          .addCoding(
              new Coding(CATEGORY_SYSTEM, type.category(), categoryDisplay(type.category())));
      code.addCoding(new Coding(LOINC, m.code(), type.display()));
      type.additionalCodes().forEach(extra -> code.addCoding(new Coding(LOINC, extra, null)));
      code.setText(type.display());
    } else {
      code.addCoding(new Coding(LOINC, m.code(), null));
    }
    if (m.hasMdcCode()) {
      code.addCoding(new Coding(MDC, String.valueOf(m.mdcCode()), null));
    }
    observation.setSubject(new Reference("Patient/" + m.patientId()));
    source(observation, m);
    observation.setEffective(effective(m));
    observation.setIssued(Date.from(m.receivedAt()));
    Optional<Consciousness> level =
        MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS.equals(m.code())
            ? Consciousness.ofValue(m.value())
            : Optional.empty();
    if (level.isPresent()) {
      code.addCoding(new Coding(SNOMED, Consciousness.SNOMED_SCALE, null));
      observation.setValue(
          new CodeableConcept(new Coding(SNOMED, level.get().snomedCode(), level.get().display())));
    } else {
      observation.setValue(
          new Quantity()
              .setValue(decimal(m.value()))
              .setUnit(type != null ? type.unitDisplay() : m.unit())
              .setSystem(UCUM)
              .setCode(m.unit()));
    }
    return observation;
  }

  /**
   * A systolic and a diastolic reading of one source at one moment as the vital-signs blood
   * pressure panel (profile {@code bp}): the two values as components, each with the MDC code its
   * source gave, and the two Observations it is derived from.
   */
  public Observation toPanel(Measurement systolic, Measurement diastolic) {
    Observation panel = new Observation();
    panel.setId(BloodPressurePanels.idOf(systolic, diastolic));
    Date stored =
        Date.from(
            systolic.receivedAt().isAfter(diastolic.receivedAt())
                ? systolic.receivedAt()
                : diastolic.receivedAt());
    panel.getMeta().setVersionId(VERSION).setLastUpdated(stored).addProfile(PROFILE_BP);
    panel.setStatus(Observation.ObservationStatus.FINAL);
    panel
        .addCategory()
        .addCoding(
            new Coding(
                CATEGORY_SYSTEM,
                MeasurementType.VITAL_SIGNS,
                categoryDisplay(MeasurementType.VITAL_SIGNS)));
    panel
        .getCode()
        .addCoding(
            new Coding(
                LOINC, BloodPressurePanels.CODE, "Blood pressure panel with all children optional"))
        .setText("Blood pressure panel");
    panel.setSubject(new Reference("Patient/" + systolic.patientId()));
    source(panel, systolic);
    panel.setEffective(effective(systolic));
    panel.setIssued(stored);
    for (Measurement part : List.of(systolic, diastolic)) {
      MeasurementType type = catalog.find(part.code()).orElseThrow();
      CodeableConcept code =
          new CodeableConcept(new Coding(LOINC, part.code(), type.display()))
              .setText(type.display());
      if (part.hasMdcCode()) {
        code.addCoding(new Coding(MDC, String.valueOf(part.mdcCode()), null));
      }
      panel
          .addComponent()
          .setCode(code)
          .setValue(
              new Quantity()
                  .setValue(decimal(part.value()))
                  .setUnit(type.unitDisplay())
                  .setSystem(UCUM)
                  .setCode(part.unit()));
      panel.addDerivedFrom(new Reference("Observation/" + part.id()));
    }
    return panel;
  }

  /** Who or what the reading came from: the device, or the person who entered it. */
  private static void source(Observation observation, Measurement m) {
    if (m.isManualEntry()) {
      observation.addPerformer(
          new Reference(
              "Practitioner/" + m.deviceId().substring(Measurement.MANUAL_ENTRY_PREFIX.length())));
    } else {
      observation.setDevice(new Reference("Device/" + m.deviceId()));
    }
  }

  private static DateTimeType effective(Measurement m) {
    // Whole seconds print as such ("10:00:00Z"); otherwise keep the milliseconds.
    TemporalPrecisionEnum precision =
        m.effectiveAt().getNano() == 0 ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI;
    DateTimeType effective = new DateTimeType(Date.from(m.effectiveAt()), precision, UTC);
    effective.setTimeZoneZulu(true);
    return effective;
  }

  /**
   * 72.0 is published as 72, not 72.0: FHIR reads trailing zeros as precision the device never had.
   */
  static BigDecimal decimal(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return BigDecimal.valueOf((long) value);
    }
    return BigDecimal.valueOf(value);
  }

  static String categoryDisplay(String category) {
    return switch (category) {
      case MeasurementType.VITAL_SIGNS -> "Vital Signs";
      case MeasurementType.LABORATORY -> "Laboratory";
      case MeasurementCatalog.SURVEY -> "Survey";
      default -> null;
    };
  }
}
