package org.vigil.medication;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How evidence is matched to scheduled doses.
 *
 * @param tolerance a dose taken within this much before or after its time is on time (boundaries
 *     included); e.g. ±1 h
 * @param lateLimit how long after its time a dose can still be taken late; a taking after this, or
 *     once the next dose's tolerance window has opened, is not that dose's
 * @param zone the patient's time zone, in which times of day and days are read
 */
public record MatchingRules(Duration tolerance, Duration lateLimit, ZoneId zone) {

  public MatchingRules {
    Objects.requireNonNull(zone, "zone");
    if (tolerance == null || tolerance.isNegative() || tolerance.isZero()) {
      throw new IllegalArgumentException("the tolerance must be positive");
    }
    if (lateLimit == null || lateLimit.compareTo(tolerance) <= 0) {
      throw new IllegalArgumentException("the late limit must be longer than the tolerance");
    }
  }
}
