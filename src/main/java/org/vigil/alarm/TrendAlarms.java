package org.vigil.alarm;

import org.springframework.stereotype.Component;
import org.vigil.analytics.TrendChange;
import org.vigil.analytics.TrendKind;
import org.vigil.analytics.TrendListener;
import org.vigil.analytics.TrendProperties;

/**
 * Raises a trend alarm when a trend detector fires ({@code trend-heart-rate-rising} and the rest),
 * one per patient and trend, and lets it resolve after the hold-off once the trend clears. These
 * are heuristics, and their text says so: no standard sets a trend threshold. A vital's trend is
 * low priority (IEC 60601-1-8: operator awareness — the limit alarm is there if it goes further); a
 * rising NEWS2 is medium, as a change of two points within the hour is how a ward would escalate a
 * patient before the score reaches RCP's urgent threshold of 5. Both wait out the alarm condition
 * delay.
 */
@Component
class TrendAlarms implements TrendListener {

  private final ConditionDelay delay;
  private final TrendProperties settings;

  TrendAlarms(ConditionDelay delay, TrendProperties settings) {
    this.delay = delay;
    this.settings = settings;
  }

  static AlarmPriority priorityOf(TrendKind kind) {
    return kind == TrendKind.NEWS2_RISING ? AlarmPriority.MEDIUM : AlarmPriority.LOW;
  }

  @Override
  public void trendChanged(TrendChange change) {
    String condition = change.kind().condition();
    if (change.detected()) {
      delay.holds(change.patientId(), condition, priorityOf(change.kind()), summary(change));
    } else {
      delay.cleared(change.patientId(), condition);
    }
  }

  String summary(TrendChange change) {
    TrendKind kind = change.kind();
    String label = Character.toUpperCase(kind.label().charAt(0)) + kind.label().substring(1);
    if (kind == TrendKind.NEWS2_RISING) {
      return label
          + ": "
          + format(change.level())
          + ", up from "
          + format(change.baseline())
          + " within "
          + settings.news2Window().toMinutes()
          + " min (heuristic trend, not an alarm limit)";
    }
    return label
        + ": "
        + format(change.level())
        + " "
        + kind.unit()
        + " against the patient's baseline of "
        + format(change.baseline())
        + " "
        + kind.unit()
        + " (heuristic trend, not an alarm limit)";
  }

  private static String format(double value) {
    return String.valueOf(Math.round(value));
  }
}
