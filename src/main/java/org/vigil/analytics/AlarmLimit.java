package org.vigil.analytics;

import java.util.Optional;

/**
 * The range of one vital outside which a patient's monitor should alarm. Either end may be open.
 *
 * @param code LOINC code of the vital
 * @param low alarm below this, if set
 * @param high alarm above this, if set
 * @param source who set it: a clinician for this patient, for the patient's ward, or Vigil's
 *     default
 */
public record AlarmLimit(String code, Optional<Double> low, Optional<Double> high, Source source) {

  /** Where a limit comes from; the first that has one for a vital applies. */
  public enum Source {
    /** A clinician set it for this patient. */
    PERSONAL,
    /** A clinician or administrator set it for every patient on the ward. */
    WARD,
    /** Vigil's default. */
    DEFAULT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A personal limit, or Vigil's default. */
  public AlarmLimit(String code, Optional<Double> low, Optional<Double> high, boolean personal) {
    this(code, low, high, personal ? Source.PERSONAL : Source.DEFAULT);
  }

  /** Whether a clinician set it for this patient. */
  public boolean personal() {
    return source == Source.PERSONAL;
  }

  /** The same range, from another source. */
  public AlarmLimit from(Source other) {
    return new AlarmLimit(code, low, high, other);
  }

  public AlarmLimit {
    java.util.Objects.requireNonNull(source, "source");
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
