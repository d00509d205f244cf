package org.vigil.alarm;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.scheduling.annotation.Scheduled;
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
 * <p>A medium priority condition sounds only once it has lasted the alarm condition delay ({@code
 * vigil.alarms.condition-delay}): a patient who moves and reads 111/min for a few seconds does not
 * page anyone. High priority sounds at once. An alarm already open is updated at once.
 */
@Component
class News2Alarms implements News2Listener {

  static final String CONDITION = "news2";

  /** A condition waiting out its delay: the latest priority and summary, and since when. */
  private record Pending(AlarmPriority priority, String summary, Instant since) {}

  private final Alarms alarms;
  private final AlarmProperties settings;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  News2Alarms(Alarms alarms, AlarmProperties settings) {
    this.alarms = alarms;
    this.settings = settings;
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
    String patient = score.patientId();
    if (priority.isEmpty()) {
      if (score.complete()) {
        pending.remove(patient);
        alarms.conditionCleared(patient, CONDITION);
      }
      return;
    }
    boolean immediate =
        priority.get() == AlarmPriority.HIGH
            || settings.conditionDelay().isZero()
            || alarms.isOpen(patient, CONDITION);
    if (immediate) {
      pending.remove(patient);
      alarms.raise(patient, CONDITION, priority.get(), summary(score));
      return;
    }
    pending.merge(
        patient,
        new Pending(priority.get(), summary(score), clock.instant()),
        (waiting, now) -> new Pending(now.priority(), now.summary(), waiting.since()));
  }

  /** Raises the conditions that have lasted their delay. */
  @Scheduled(fixedDelayString = "${vigil.alarms.clear-check-interval:PT5S}")
  void soundDelayedConditions() {
    Instant due = clock.instant().minus(settings.conditionDelay());
    pending.forEach((patient, waiting) -> {
      if (!waiting.since().isAfter(due) && pending.remove(patient, waiting)) {
        alarms.raise(patient, CONDITION, waiting.priority(), waiting.summary());
      }
    });
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
