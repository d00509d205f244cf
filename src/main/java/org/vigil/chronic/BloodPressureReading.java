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
   * A hypertensive crisis reading: systolic ≥ 180 or diastolic ≥ 120 mmHg (grade 3 / "severe" in
   * the 2018 ESC/ESH guidelines, Williams B, et al. Eur Heart J 2018;39:3021–3104; the same 180/120
   * as the 2017 ACC/AHA "hypertensive crisis").
   */
  public boolean crisis() {
    return systolic >= CRISIS_SYSTOLIC || diastolic >= CRISIS_DIASTOLIC;
  }

  public static final double CRISIS_SYSTOLIC = 180;
  public static final double CRISIS_DIASTOLIC = 120;
}
