package org.vigil.alarm;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * IEC 60601-1-8's alarm condition delay: a medium or low priority condition sounds only once it has
 * lasted {@code vigil.alarms.condition-delay}, so that a patient who moves and reads 111/min for a
 * few seconds pages no one. High priority sounds at once, and so does any change to an alarm
 * already open.
 *
 * <p>Every clinical alarm condition passes through here, so this is also where each one's fate is
 * counted ({@link ConditionOutcomes}): the fatigue report compares those that began with those that
 * sounded.
 */
@Component
class ConditionDelay {

  private record Key(String patientId, String condition) {}

  /** A condition waiting out its delay: the latest priority and summary, and since when. */
  private record Pending(AlarmPriority priority, String summary, Instant since) {}

  private final Alarms alarms;
  private final AlarmProperties settings;
  private final ConditionOutcomes outcomes;
  private final Clock clock = Clock.systemUTC();
  private final Map<Key, Pending> pending = new ConcurrentHashMap<>();

  /** Conditions that hold now, whether their alarm sounds or not. */
  private final Set<Key> holding = ConcurrentHashMap.newKeySet();

  ConditionDelay(Alarms alarms, AlarmProperties settings, ConditionOutcomes outcomes) {
    this.alarms = alarms;
    this.settings = settings;
    this.outcomes = outcomes;
  }

  /** The condition holds now, at this priority. */
  void holds(String patientId, String condition, AlarmPriority priority, String summary) {
    Key key = new Key(patientId, condition);
    boolean began = holding.add(key);
    boolean open = alarms.isOpen(patientId, condition);
    if (!began && !open && !pending.containsKey(key)) {
      // someone resolved its alarm while the condition went on holding: a new alarm begins
      began = true;
    }
    if (began) {
      outcomes.began();
    }
    boolean immediate =
        priority == AlarmPriority.HIGH || settings.conditionDelay().isZero() || open;
    if (immediate) {
      boolean wasWaiting = pending.remove(key) != null;
      if (began || wasWaiting) {
        outcomes.ended(
            open
                ? ConditionOutcomes.Outcome.JOINED_OPEN_ALARM
                : ConditionOutcomes.Outcome.NEW_ALARM);
      }
      alarms.raise(patientId, condition, priority, summary);
      return;
    }
    pending.merge(
        key,
        new Pending(priority, summary, clock.instant()),
        (waiting, now) -> new Pending(now.priority(), now.summary(), waiting.since()));
  }

  /**
   * A condition would have begun, but its evidence came from a device in a technical-alarm state:
   * nothing sounds, and it is counted as suppressed.
   */
  void suppressed() {
    outcomes.began();
    outcomes.ended(ConditionOutcomes.Outcome.SUPPRESSED);
  }

  /** The condition no longer holds: nothing sounds, and an open alarm starts its hold-off. */
  void cleared(String patientId, String condition) {
    Key key = new Key(patientId, condition);
    holding.remove(key);
    if (pending.remove(key) != null) {
      outcomes.ended(ConditionOutcomes.Outcome.CLEARED_WITHIN_DELAY);
    }
    alarms.conditionCleared(patientId, condition);
  }

  /** Raises the conditions that have lasted their delay. */
  @Scheduled(fixedDelayString = "${vigil.alarms.clear-check-interval:PT5S}")
  void soundDelayedConditions() {
    Instant due = clock.instant().minus(settings.conditionDelay());
    pending.forEach((key, waiting) -> {
      if (!waiting.since().isAfter(due) && pending.remove(key, waiting)) {
        outcomes.ended(ConditionOutcomes.Outcome.NEW_ALARM);
        alarms.raise(key.patientId(), key.condition(), waiting.priority(), waiting.summary());
      }
    });
  }
}
