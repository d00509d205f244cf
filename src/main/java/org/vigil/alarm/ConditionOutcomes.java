package org.vigil.alarm;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * What the fatigue controls made of each clinical alarm condition that began: every time a
 * patient's vital crossed a limit, a NEWS2 score reached an alarm band or a trend was detected, the
 * condition began once, and it met exactly one {@link Outcome}. A monitor without fatigue controls
 * would sound an alarm for every one that began; Vigil sounds one only for {@link
 * Outcome#NEW_ALARM}. The counts are metrics ({@code vigil_alarm_conditions_total{outcome=…}}) and
 * the fatigue report ({@code ./vigil bench fatigue}) reads them.
 */
@Component
public class ConditionOutcomes {

  /** What became of a condition that began. */
  public enum Outcome {
    /** It sounded as a new alarm, at once or after the condition delay. */
    NEW_ALARM("new-alarm"),
    /**
     * An alarm for it was still open — latched until acknowledged, or within its hold-off after the
     * condition last cleared — so it updated that alarm instead of sounding a new one.
     */
    JOINED_OPEN_ALARM("joined-open-alarm"),
    /** It cleared before the condition delay was over, so nothing sounded. */
    CLEARED_WITHIN_DELAY("cleared-within-delay"),
    /** The reading came from a device in a technical-alarm state, so nothing sounded. */
    SUPPRESSED("suppressed");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  /**
   * The counts so far.
   *
   * @param began conditions that began
   * @param outcomes what became of them; conditions still waiting out their delay are in {@code
   *     began} only
   */
  public record Counts(long began, Map<Outcome, Long> outcomes) {

    public Counts {
      outcomes = Map.copyOf(outcomes);
    }

    public long of(Outcome outcome) {
      return outcomes.getOrDefault(outcome, 0L);
    }

    /** Began and still waiting out the condition delay. */
    public long waiting() {
      return began - outcomes.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final LongAdder began = new LongAdder();
  private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);

  ConditionOutcomes(MeterRegistry meters) {
    FunctionCounter.builder("vigil.alarm.conditions.began", began, LongAdder::sum)
        .description("Clinical alarm conditions that began (each would sound without controls)")
        .register(meters);
    for (Outcome outcome : Outcome.values()) {
      LongAdder count = new LongAdder();
      outcomes.put(outcome, count);
      FunctionCounter.builder("vigil.alarm.conditions", count, LongAdder::sum)
          .description("What the alarm fatigue controls made of clinical alarm conditions")
          .tag("outcome", outcome.tag())
          .register(meters);
    }
  }

  void began() {
    began.increment();
  }

  void ended(Outcome outcome) {
    outcomes.get(outcome).increment();
  }

  public Counts counts() {
    Map<Outcome, Long> now = new EnumMap<>(Outcome.class);
    outcomes.forEach((outcome, count) -> now.put(outcome, count.sum()));
    return new Counts(began.sum(), now);
  }
}
