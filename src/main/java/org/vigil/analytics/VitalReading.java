package org.vigil.analytics;

import java.time.Instant;
import org.vigil.measurement.Measurement;

/**
 * The reading a NEWS2 input was taken from: kept so that a score can say what it was derived from
 * and how old each input is.
 *
 * @param observationId the reading's id (its Observation id)
 * @param code LOINC code
 * @param value in the catalog's unit
 * @param effectiveAt when it was measured
 * @param manualEntry whether a person entered it (manual entries stay fresh longer)
 */
public record VitalReading(
    long observationId, String code, double value, Instant effectiveAt, boolean manualEntry) {

  public static VitalReading of(Measurement m) {
    return new VitalReading(m.id(), m.code(), m.value(), m.effectiveAt(), m.isManualEntry());
  }
}
