package org.vigil.analytics;

import java.util.Optional;

/**
 * The range of one vital outside which a patient's monitor should alarm. Either end may be open.
 *
 * @param code LOINC code of the vital
 * @param low alarm below this, if set
 * @param high alarm above this, if set
 * @param personal whether a clinician set it for this patient (otherwise the default)
 */
public record AlarmLimit(
    String code, Optional<Double> low, Optional<Double> high, boolean personal) {

  public AlarmLimit {
    if (low.isEmpty() && high.isEmpty()) {
      throw new IllegalArgumentException("a limit needs a low or a high end");
    }
    if (low.isPresent() && high.isPresent() && low.get() >= high.get()) {
      throw new IllegalArgumentException(
          "the low limit " + low.get() + " must be below the high limit " + high.get());
    }
  }

  /** Which way the value is out, or empty when it is within the limits. */
  public Optional<Breach> breachOf(double value) {
    if (low.isPresent() && value < low.get()) {
      return Optional.of(Breach.BELOW);
    }
    if (high.isPresent() && value > high.get()) {
      return Optional.of(Breach.ABOVE);
    }
    return Optional.empty();
  }

  public enum Breach {
    BELOW,
    ABOVE
  }
}
