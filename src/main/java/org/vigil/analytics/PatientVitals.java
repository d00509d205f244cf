package org.vigil.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.vigil.measurement.Measurement;

/**
 * What analytics remembers of one patient: the latest reading of each NEWS2 input code, and the
 * patient's own clock. The clock is the newest reading's time plus the wall time since it arrived,
 * so that freshness is judged the same for a live bedside monitor and for a simulated ward played
 * faster than real time with timestamps to match. Not thread-safe: the patient's log partition owns
 * it.
 */
final class PatientVitals {

  private final Map<String, VitalReading> latest = new HashMap<>();
  private Instant newestEffective = Instant.MIN;
  private Instant newestArrival = Instant.MIN;
  private News2Score lastScore;
  private final Map<String, AlarmLimit.Breach> breaches = new HashMap<>();
  private final Map<String, AlarmLimit.Breach> suppressedBreaches = new HashMap<>();

  /** Keeps the reading if it is newer than what is known of its code; says whether it was. */
  boolean update(VitalReading reading, Instant arrivedAt) {
    VitalReading known = latest.get(reading.code());
    if (known != null && !reading.effectiveAt().isAfter(known.effectiveAt())) {
      return false;
    }
    latest.put(reading.code(), reading);
    if (reading.effectiveAt().isAfter(newestEffective)) {
      newestEffective = reading.effectiveAt();
      newestArrival = arrivedAt;
    }
    return true;
  }

  boolean update(Measurement m) {
    return update(VitalReading.of(m), m.receivedAt());
  }

  Optional<VitalReading> latest(String code) {
    return Optional.ofNullable(latest.get(code));
  }

  boolean isEmpty() {
    return latest.isEmpty();
  }

  /** The patient's time at wall time {@code now}: never before the newest reading. */
  Instant clock(Instant now) {
    if (newestEffective.equals(Instant.MIN)) {
      return now;
    }
    Duration sinceArrival = Duration.between(newestArrival, now);
    return sinceArrival.isNegative() ? newestEffective : newestEffective.plus(sinceArrival);
  }

  /** Records whether the code's newest reading is outside its limits; says whether that changed. */
  boolean breach(String code, Optional<AlarmLimit.Breach> breach) {
    AlarmLimit.Breach before =
        breach.isPresent() ? breaches.put(code, breach.get()) : breaches.remove(code);
    return !Optional.ofNullable(before).equals(breach);
  }

  /**
   * Records whether an unreliable reading, kept out of judgement, was outside the code's limits;
   * says whether that begins a condition the limits would have sounded for: one they are not
   * already in, and that was not already suppressed.
   */
  boolean suppressedBreach(String code, Optional<AlarmLimit.Breach> breach) {
    if (breach.isEmpty()) {
      suppressedBreaches.remove(code);
      return false;
    }
    AlarmLimit.Breach before = suppressedBreaches.put(code, breach.get());
    return before != breach.get() && breaches.get(code) != breach.get();
  }

  Optional<News2Score> lastScore() {
    return Optional.ofNullable(lastScore);
  }

  void scored(News2Score score) {
    lastScore = score;
  }
}
