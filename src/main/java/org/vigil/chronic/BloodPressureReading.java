package org.vigil.chronic;

import java.time.Instant;
import java.util.Objects;

/**
 * One home blood pressure reading: systolic and diastolic taken together, in mmHg.
 *
 * @param at when it was measured
 */
public record BloodPressureReading(Instant at, double systolic, double diastolic) {

  public BloodPressureReading {
    Objects.requireNonNull(at, "at");
    if (!(systolic > 0 && diastolic > 0 && Double.isFinite(systolic))) {
      throw new IllegalArgumentException("blood pressure must be positive numbers");
    }
  }

  /**
   * A hypertensive crisis reading: systolic ≥ 180 or diastolic ≥ 120 mmHg. The 2017 ACC/AHA
   * guideline (Whelton PK, et al. Hypertension 2018;71:e13–e115) describes hypertensive crises as
   * above 180 and/or above 120; Vigil alarms at the boundary itself, erring towards alarming.
   */
  public boolean crisis() {
    return systolic >= CRISIS_SYSTOLIC || diastolic >= CRISIS_DIASTOLIC;
  }

  public static final double CRISIS_SYSTOLIC = 180;
  public static final double CRISIS_DIASTOLIC = 120;
}
