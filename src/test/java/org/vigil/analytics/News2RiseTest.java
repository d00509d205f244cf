package org.vigil.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class News2RiseTest {

  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  private static Instant minutes(long m) {
    return T0.plusSeconds(60 * m);
  }

  @Test
  void aRiseOfTwoWithinTheHourIsDetected() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    assertThat(rise.score(minutes(0), 1)).isFalse();
    assertThat(rise.score(minutes(20), 2)).isFalse();
    assertThat(rise.score(minutes(40), 3)).isTrue();
    assertThat(rise.rising()).isTrue();
    assertThat(rise.lowest()).isEqualTo(1);
  }

  @Test
  void theSameRiseOverMoreThanTheWindowIsNot() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    rise.score(minutes(0), 1);
    rise.score(minutes(40), 2);
    // at 110 min the window opens at 50: the 2 is in force then
    assertThat(rise.score(minutes(110), 3)).isFalse();
    assertThat(rise.rising()).isFalse();
  }

  @Test
  void theRiseEndsWhenTheWindowHasMovedPastTheLowScore() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    rise.score(minutes(0), 1);
    rise.score(minutes(10), 4);
    assertThat(rise.rising()).isTrue();
    assertThat(rise.score(minutes(50), 4)).isFalse();
    // the 4 has been in force since minute 10: by minute 71 the 1 is out of the window
    assertThat(rise.score(minutes(71), 4)).isTrue();
    assertThat(rise.rising()).isFalse();
  }

  @Test
  void aFallingScoreIsNoRise() {
    News2Rise rise = new News2Rise(TrendProperties.DEFAULTS);
    rise.score(minutes(0), 6);
    assertThat(rise.score(minutes(5), 2)).isFalse();
    assertThat(rise.score(minutes(10), 3)).isFalse();
  }
}
