package org.vigil.alarm;

import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.vigil.analytics.News2Listener;
import org.vigil.analytics.News2Parameter;
import org.vigil.analytics.News2Score;
import org.vigil.analytics.RiskBand;

/**
 * Raises the NEWS2 alarm from each new score, following RCP 2017 Chart 4's response thresholds: a
 * total of 7 or more (emergency response) is a high-priority alarm; 5–6 (urgent response) and a 3
 * in any single parameter (urgent ward-based response) are medium priority; below that there is no
 * alarm. The issue suggested high for a single 3; RCP ranks that response below the 5–6 one, so
 * ranking it above would invert the chart.
 *
 * <p>An incomplete score is a lower bound: it raises an alarm when even its partial total crosses a
 * threshold, but it never clears one — that needs a complete score below the thresholds.
 *
 * <p>Medium priority waits out the alarm condition delay ({@link ConditionDelay}).
 */
@Component
class News2Alarms implements News2Listener {

  static final String CONDITION = "news2";

  private final ConditionDelay delay;

  News2Alarms(ConditionDelay delay) {
    this.delay = delay;
  }

  /** The alarm priority a score calls for, if any. */
  static Optional<AlarmPriority> priorityOf(News2Score score) {
    RiskBand band = score.band();
    return switch (band) {
      case HIGH -> Optional.of(AlarmPriority.HIGH);
      case MEDIUM, LOW_MEDIUM -> Optional.of(AlarmPriority.MEDIUM);
      case LOW -> Optional.empty();
    };
  }

  @Override
  public void scoreChanged(News2Score score, Optional<News2Score> previous) {
    Optional<AlarmPriority> priority = priorityOf(score);
    if (priority.isPresent()) {
      delay.holds(score.patientId(), CONDITION, priority.get(), summary(score));
    } else if (score.complete()) {
      delay.cleared(score.patientId(), CONDITION);
    }
  }

  static String summary(News2Score score) {
    StringBuilder summary =
        new StringBuilder("NEWS2 ")
            .append(score.total())
            .append(score.complete() ? "" : " or more")
            .append(" (")
            .append(score.band().display().toLowerCase(java.util.Locale.ROOT))
            .append(")");
    String threes =
        score.scored().entrySet().stream()
            .filter(e -> e.getValue().points() == 3)
            .map(e -> e.getKey().label())
            .collect(Collectors.joining(", "));
    if (!threes.isEmpty()) {
      summary.append("; 3 for ").append(threes);
    }
    if (!score.complete()) {
      summary
          .append("; incomplete, no current ")
          .append(
              score.absent().keySet().stream()
                  .map(News2Parameter::label)
                  .collect(Collectors.joining(", ")));
    }
    return summary.toString();
  }
}
