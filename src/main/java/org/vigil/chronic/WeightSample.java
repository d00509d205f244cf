package org.vigil.chronic;

import java.time.Instant;
import java.util.Objects;

/** One weight reading, in kg. */
public record WeightSample(Instant at, double kg) {

  public WeightSample {
    Objects.requireNonNull(at, "at");
    if (!(kg > 0) || !Double.isFinite(kg)) {
      throw new IllegalArgumentException("weight must be a positive number, was " + kg);
    }
  }
}
