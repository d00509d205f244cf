package org.vigil.alarm;

import java.time.Instant;
import java.util.Optional;

/**
 * One step in an alarm's history.
 *
 * @param alarmId the alarm
 * @param at when
 * @param kind raised, updated (priority or summary changed), escalated, snoozed, acknowledged,
 *     resolved
 * @param actor who; empty when Vigil itself did it (raised it, resolved it when the condition
 *     cleared)
 * @param priority the alarm's priority after the step
 * @param detail the summary at that time, or a reason
 */
public record AlarmEvent(
    long alarmId,
    Instant at,
    Kind kind,
    Optional<String> actor,
    AlarmPriority priority,
    Optional<String> detail) {

  public enum Kind {
    RAISED,
    UPDATED,
    ESCALATED,
    SNOOZED,
    ACKNOWLEDGED,
    RESOLVED;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
