package org.vigil.alarm;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How alarms behave.
 *
 * @param clearHoldOff how long a condition must stay clear before its alarm resolves by itself (a
 *     score that dips below a threshold for one reading does not end an alarm)
 * @param clearCheckInterval how often alarms waiting out their hold-off, delay, escalation or
 *     snooze are looked at
 * @param conditionDelay how long a medium or low priority condition must persist before its alarm
 *     sounds (IEC 60601-1-8's alarm condition delay); high priority alarms sound at once
 * @param escalateAfter how long an alarm may stay active and unacknowledged before it goes to the
 *     next step of the escalation chain, and again after each step
 * @param escalation the chain an unacknowledged alarm climbs, first step first: who it is with
 * @param maxSnooze the longest a snooze may silence an alarm
 */
@ConfigurationProperties("vigil.alarms")
public record AlarmProperties(
    @DefaultValue("PT2M") Duration clearHoldOff,
    @DefaultValue("PT5S") Duration clearCheckInterval,
    @DefaultValue("PT15S") Duration conditionDelay,
    @DefaultValue("PT3M") Duration escalateAfter,
    @DefaultValue({"ward nurses", "charge nurse", "physician on call"}) List<String> escalation,
    @DefaultValue("PT1H") Duration maxSnooze) {

  public AlarmProperties {
    if (clearHoldOff == null || clearHoldOff.isNegative()) {
      throw new IllegalArgumentException("vigil.alarms.clear-hold-off must not be negative");
    }
    if (clearCheckInterval == null
        || clearCheckInterval.isNegative()
        || clearCheckInterval.isZero()) {
      throw new IllegalArgumentException("vigil.alarms.clear-check-interval must be positive");
    }
    if (conditionDelay == null || conditionDelay.isNegative()) {
      throw new IllegalArgumentException("vigil.alarms.condition-delay must not be negative");
    }
    if (escalateAfter == null || escalateAfter.isNegative() || escalateAfter.isZero()) {
      throw new IllegalArgumentException("vigil.alarms.escalate-after must be positive");
    }
    if (escalation == null || escalation.isEmpty()) {
      throw new IllegalArgumentException("vigil.alarms.escalation names at least one step");
    }
    escalation = List.copyOf(escalation);
    if (maxSnooze == null || maxSnooze.isNegative() || maxSnooze.isZero()) {
      throw new IllegalArgumentException("vigil.alarms.max-snooze must be positive");
    }
  }

  /** Who an alarm is with at an escalation step. */
  public String stepName(int step) {
    return escalation.get(Math.min(step, escalation.size() - 1));
  }
}
