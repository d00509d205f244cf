package org.vigil.chronic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The heart-failure rule, "more than 2 kg over 3 days", on its edges. */
class WeightGainTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");

  /** A morning weight at 07:00 local time on 1 December + day. */
  private static WeightSample morning(int day, double kg) {
    return new WeightSample(
        java.time.LocalDateTime.of(2026, 12, 1 + day, 7, 0).atZone(ZONE).toInstant(), kg);
  }

  private static Instant evening(int day) {
    return java.time.LocalDateTime.of(2026, 12, 1 + day, 21, 0).atZone(ZONE).toInstant();
  }

  @Test
  void firesOnTheDayTheGainCrossesTwoKilogramsAndNotTheDayBefore() {
    List<WeightSample> series =
        List.of(
            morning(0, 80.0),
            morning(1, 80.4),
            morning(2, 81.2),
            morning(3, 81.9), // 1.9 kg over the lowest of days 0-2: not yet
            morning(4, 82.5)); // 2.1 kg over the lowest of days 1-3 (80.4): alarm
    WeightGain rule = WeightGain.DEFAULT;
    assertThat(rule.assess(series, evening(3), ZONE).orElseThrow().exceeded()).isFalse();
    WeightGain.Assessment crossed = rule.assess(series, evening(4), ZONE).orElseThrow();
    assertThat(crossed.exceeded()).isTrue();
    assertThat(crossed.gain()).isEqualTo(2.1);
    assertThat(crossed.baseline()).isEqualTo(80.4);
    assertThat(crossed.baselineDay()).isEqualTo(java.time.LocalDate.of(2026, 12, 2));
  }

  @Test
  void exactlyTwoKilogramsDoesNotFire() {
    List<WeightSample> series = List.of(morning(0, 78.7), morning(3, 80.7));
    WeightGain.Assessment a = WeightGain.DEFAULT.assess(series, evening(3), ZONE).orElseThrow();
    assertThat(a.gain()).isEqualTo(2.0);
    assertThat(a.exceeded()).isFalse();
    List<WeightSample> more = List.of(morning(0, 78.7), morning(3, 80.71));
    assertThat(WeightGain.DEFAULT.assess(more, evening(3), ZONE).orElseThrow().exceeded()).isTrue();
  }

  @Test
  void aWeightFourDaysBackIsOutsideTheWindow() {
    // Days 0 and 4: day 0 is not among days 1-3, so nothing to compare against.
    List<WeightSample> series = List.of(morning(0, 78.0), morning(4, 83.0));
    assertThat(WeightGain.DEFAULT.assess(series, evening(4), ZONE)).isEmpty();
  }

  @Test
  void theDailyWeightIsTheFirstOfTheDay() {
    // An evening weight after dinner does not count: the morning one does.
    List<WeightSample> series = new ArrayList<>(List.of(morning(0, 80.0), morning(1, 80.5)));
    series.add(new WeightSample(evening(1).minusSeconds(60), 82.5));
    WeightGain.Assessment a = WeightGain.DEFAULT.assess(series, evening(1), ZONE).orElseThrow();
    assertThat(a.dailyWeight()).isEqualTo(80.5);
    assertThat(a.exceeded()).isFalse();
  }

  @Test
  void thresholdAndWindowAreConfigurable() {
    List<WeightSample> series = List.of(morning(0, 80.0), morning(5, 81.6));
    assertThat(new WeightGain(2.0, 3).assess(series, evening(5), ZONE)).isEmpty();
    assertThat(new WeightGain(1.5, 5).assess(series, evening(5), ZONE).orElseThrow().exceeded())
        .isTrue();
  }
}
