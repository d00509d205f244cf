package org.vigil.chronic;

import java.time.Instant;
import java.util.Objects;

/**
 * One glucose reading, in mg/dL.
 *
 * @param at when it was measured
 * @param mgPerDl the value in mg/dL (the catalog's unit; mmol/L readings are converted at ingest)
 */
public record GlucoseSample(Instant at, double mgPerDl) {

  public GlucoseSample {
    Objects.requireNonNull(at, "at");
    if (!Double.isFinite(mgPerDl) || mgPerDl <= 0) {
      throw new IllegalArgumentException("glucose must be a positive number, was " + mgPerDl);
    }
  }
}
