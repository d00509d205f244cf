package org.vigil.alarm;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * IEC 60601-1-8's alarm condition delay: a medium or low priority condition sounds only once it has
 * lasted {@code vigil.alarms.condition-delay}, so that a patient who moves and reads 111/min for a
 * few seconds pages no one. High priority sounds at once, and so does any change to an alarm
 * already open.
 */
@Component
class ConditionDelay {

  private record Key(String patientId, String condition) {}

  /** A condition waiting out its delay: the latest priority and summary, and since when. */
  private record Pending(AlarmPriority priority, String summary, Instant since) {}

  private final Alarms alarms;
  private final AlarmProperties settings;
  private final Clock clock = Clock.systemUTC();
  private final Map<Key, Pending> pending = new ConcurrentHashMap<>();

  ConditionDelay(Alarms alarms, AlarmProperties settings) {
    this.alarms = alarms;
    this.settings = settings;
  }

  /** The condition holds now, at this priority. */
  void holds(String patientId, String condition, AlarmPriority priority, String summary) {
    Key key = new Key(patientId, condition);
    boolean immediate =
        priority == AlarmPriority.HIGH
            || settings.conditionDelay().isZero()
            || alarms.isOpen(patientId, condition);
    if (immediate) {
      pending.remove(key);
      alarms.raise(patientId, condition, priority, summary);
      return;
    }
    pending.merge(
        key,
        new Pending(priority, summary, clock.instant()),
        (waiting, now) -> new Pending(now.priority(), now.summary(), waiting.since()));
  }

  /** The condition no longer holds: nothing sounds, and an open alarm starts its hold-off. */
  void cleared(String patientId, String condition) {
    pending.remove(new Key(patientId, condition));
    alarms.conditionCleared(patientId, condition);
  }

  /** Raises the conditions that have lasted their delay. */
  @Scheduled(fixedDelayString = "${vigil.alarms.clear-check-interval:PT5S}")
  void soundDelayedConditions() {
    Instant due = clock.instant().minus(settings.conditionDelay());
    pending.forEach((key, waiting) -> {
      if (!waiting.since().isAfter(due) && pending.remove(key, waiting)) {
        alarms.raise(key.patientId(), key.condition(), waiting.priority(), waiting.summary());
      }
    });
  }
}
