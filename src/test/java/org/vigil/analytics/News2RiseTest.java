package org.vigil.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class News2RiseTest {

  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  private static Instant minutes(long m) {
    return T0.plusSeconds(60 * m);
  }

  /** A complete score: respiration, SpO2, air or oxygen, systolic, pulse, consciousness, temp. */
  private static Map<News2Parameter, Integer> points(int... each) {
    Map<News2Parameter, Integer> points = new EnumMap<>(News2Parameter.class);
    for (int i = 0; i < News2Parameter.values().length; i++) {
      points.put(News2Parameter.values()[i], i < each.length ? each[i] : 0);
    }
    return points;
  }

  private static final TrendProperties ANY_PARAMETER =
      new TrendProperties(
          true,
          Duration.ofMinutes(1),
          15,
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          0.5,
          10,
          2,
          Duration.ofHours(2),
          Duration.ofHours(4),
          10,
          3,
          2,
          2,
          Duration.ofHours(1),
          1);

  @Test
  void aRiseOfTwoWithinTheHourIsDetected() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    assertThat(rise.score(minutes(0), points(1))).isFalse();
    assertThat(rise.score(minutes(20), points(1, 1))).isFalse();
    assertThat(rise.score(minutes(40), points(1, 1, 0, 1))).isTrue();
    assertThat(rise.rising()).isTrue();
    assertThat(rise.lowest()).isEqualTo(1);
  }

  @Test
  void theSameRiseOverMoreThanTheWindowIsNot() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    rise.score(minutes(0), points(1));
    rise.score(minutes(40), points(1, 1));
    // at 110 min the window opens at 50: the 2 is in force then
    assertThat(rise.score(minutes(110), points(1, 1, 0, 1))).isFalse();
    assertThat(rise.rising()).isFalse();
  }

  @Test
  void theRiseEndsWhenTheWindowHasMovedPastTheLowScore() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    rise.score(minutes(0), points(1));
    rise.score(minutes(10), points(1, 1, 0, 1, 1));
    assertThat(rise.rising()).isTrue();
    assertThat(rise.score(minutes(50), points(1, 1, 0, 1, 1))).isFalse();
    // the 4 has been in force since minute 10: by minute 71 the 1 is out of the window
    assertThat(rise.score(minutes(71), points(1, 1, 0, 1, 1))).isTrue();
    assertThat(rise.rising()).isFalse();
  }

  @Test
  void aFallingScoreIsNoRise() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    rise.score(minutes(0), points(1, 1, 0, 1, 1, 1, 1));
    assertThat(rise.score(minutes(5), points(1, 1))).isFalse();
    assertThat(rise.score(minutes(10), points(1, 1, 0, 1))).isFalse();
  }

  @Test
  void oneParameterSteppingOverABandEdgeIsNoRiseByDefault() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    // respiration 20 then 21: 0 then 2 points, nothing else moves
    rise.score(minutes(0), points(0, 0, 0, 0, 1));
    assertThat(rise.score(minutes(5), points(2, 0, 0, 0, 1))).isFalse();
    assertThat(rise.rising()).isFalse();
    // then the pulse too: two parameters above the lowest score, and the total up by 3
    assertThat(rise.score(minutes(15), points(2, 0, 0, 0, 2))).isTrue();
    assertThat(rise.rising()).isTrue();
  }

  @Test
  void withOneParameterAsksAnyRiseOfTheTotal() {
    News2Rise rise = new News2Rise(ANY_PARAMETER);
    rise.score(minutes(0), points(0, 0, 0, 0, 1));
    assertThat(rise.score(minutes(5), points(2, 0, 0, 0, 1))).isTrue();
  }

  @Test
  void aParameterFallingWhileAnotherRisesCountsOnlyTheOneThatRose() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    rise.score(minutes(0), points(0, 0, 0, 1, 0));
    // systolic better (1 -> 0), respiration and pulse worse: two rose, total +2
    assertThat(rise.score(minutes(10), points(2, 0, 0, 0, 1))).isTrue();
  }
}
