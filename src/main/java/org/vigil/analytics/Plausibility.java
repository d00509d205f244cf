package org.vigil.analytics;

import java.util.Optional;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;

/**
 * Physiologically implausible readings — a probe off the finger reading 0 bpm, SpO2 above 100 %, a
 * temperature patch in the air at 22 °C — are stored as received but kept out of scoring: a score
 * built on them would be wrong in either direction. The limits are Vigil's own, chosen wide enough
 * that no living patient is excluded; they are not from a published standard.
 */
final class Plausibility {

  private Plausibility() {}

  /** Why the reading cannot be real, or empty when it can. */
  static Optional<String> problem(Measurement m) {
    double v = m.value();
    return switch (m.code()) {
      case MeasurementCatalog.HEART_RATE -> outside(v, 1, 300, "heart rate", "/min");
      case MeasurementCatalog.RESPIRATORY_RATE -> outside(v, 1, 80, "respiration rate", "/min");
      case MeasurementCatalog.OXYGEN_SATURATION, MeasurementCatalog.OXYGEN_SATURATION_ARTERIAL ->
          outside(v, 1, 100, "SpO2", "%");
      case MeasurementCatalog.SYSTOLIC_BP -> outside(v, 20, 300, "systolic pressure", "mmHg");
      case MeasurementCatalog.BODY_TEMPERATURE -> outside(v, 25, 45, "temperature", "°C");
      case MeasurementCatalog.INHALED_OXYGEN_FLOW -> outside(v, 0, 80, "oxygen flow", "L/min");
      case MeasurementCatalog.INHALED_OXYGEN_CONCENTRATION ->
          outside(v, 21, 100, "inspired oxygen", "%");
      case MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS ->
          Consciousness.ofValue(v).isPresent()
              ? Optional.empty()
              : Optional.of("ACVPU level " + v + " is not one of 0 to 4");
      default -> Optional.empty();
    };
  }

  private static Optional<String> outside(
      double value, double low, double high, String what, String unit) {
    if (value >= low && value <= high) {
      return Optional.empty();
    }
    return Optional.of(
        what + " " + value + " " + unit + " is outside " + low + "–" + high + " " + unit);
  }
}
