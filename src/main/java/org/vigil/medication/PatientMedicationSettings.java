package org.vigil.medication;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A patient's reminder and alarm settings. As stored, each field is an override (empty: the node's
 * default); {@link MedicationSettings#of} gives them with the defaults filled in.
 */
public record PatientMedicationSettings(
    Optional<ZoneId> timeZone,
    Optional<Boolean> reminders,
    Optional<Duration> reminderGrace,
    Optional<Integer> consecutiveMisses,
    Optional<Double> adherenceThreshold,
    Optional<Duration> adherencePeriod) {

  public static final PatientMedicationSettings NONE =
      new PatientMedicationSettings(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public PatientMedicationSettings {
    reminderGrace.ifPresent(g -> {
      if (g.isNegative() || g.compareTo(Duration.ofHours(12)) > 0) {
        throw new IllegalArgumentException("reminderGrace: from PT0S to PT12H");
      }
    });
    consecutiveMisses.ifPresent(n -> {
      if (n < 1 || n > 100) {
        throw new IllegalArgumentException("consecutiveMisses: from 1 to 100");
      }
    });
    adherenceThreshold.ifPresent(t -> {
      if (!(t >= 0 && t <= 1)) {
        throw new IllegalArgumentException("adherenceThreshold: a proportion from 0 to 1");
      }
    });
    adherencePeriod.ifPresent(p -> {
      if (p.compareTo(Duration.ofDays(1)) < 0 || p.compareTo(Duration.ofDays(90)) > 0) {
        throw new IllegalArgumentException("adherencePeriod: from P1D to P90D");
      }
    });
  }

  /** The settings in effect: these overrides over the defaults. */
  public record Effective(
      ZoneId timeZone,
      boolean reminders,
      Duration reminderGrace,
      int consecutiveMisses,
      double adherenceThreshold,
      Duration adherencePeriod) {}
}
