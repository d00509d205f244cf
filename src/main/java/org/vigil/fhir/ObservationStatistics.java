package org.vigil.fhir;

import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementType;
import org.vigil.store.Statistics;

/**
 * The answer of {@code Observation/$stats}: per code, one Observation whose components are the
 * statistics asked for, coded with FHIR's observation-statistics code system, over the period asked
 * about (FHIR R4, operation-observation-stats).
 */
final class ObservationStatistics {

  static final String STATISTICS_SYSTEM = "http://hl7.org/fhir/observation-statistics";

  /** The statistics Vigil computes, by their observation-statistics codes. */
  static final Set<String> SUPPORTED = Set.of("count", "minimum", "maximum", "average", "median");

  private final MeasurementCatalog catalog;

  ObservationStatistics(MeasurementCatalog catalog) {
    this.catalog = catalog;
  }

  Observation toObservation(Statistics s, List<String> asked, Period period) {
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    MeasurementType type = catalog.find(s.code()).orElse(null);
    CodeableConcept code = observation.getCode();
    code.addCoding(
        new Coding(ObservationMapper.LOINC, s.code(), type == null ? null : type.display()));
    observation.setSubject(new Reference("Patient/" + s.patientId()));
    observation.setEffective(period);
    observation.setIssued(new Date());
    for (String statistic : asked) {
      observation
          .addComponent()
          .setCode(new CodeableConcept(new Coding(STATISTICS_SYSTEM, statistic, null)))
          .setValue(value(statistic, s, type));
    }
    return observation;
  }

  private static Type value(String statistic, Statistics s, MeasurementType type) {
    if (statistic.equals("count")) {
      return new IntegerType(Math.toIntExact(Math.min(Integer.MAX_VALUE, s.count())));
    }
    double value =
        switch (statistic) {
          case "minimum" -> s.minimum();
          case "maximum" -> s.maximum();
          case "average" -> s.average();
          case "median" -> s.median();
          default -> throw new IllegalArgumentException(statistic);
        };
    return new Quantity()
        .setValue(ObservationMapper.decimal(round(value)))
        .setUnit(type != null ? type.unitDisplay() : s.unit())
        .setSystem(ObservationMapper.UCUM)
        .setCode(s.unit());
  }

  /** A mean of 71.33333… is reported to three decimals, more than any vital sign is measured to. */
  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
