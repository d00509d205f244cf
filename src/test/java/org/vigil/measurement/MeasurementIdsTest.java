package org.vigil.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeasurementIdsTest {

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    Instant now;

    ManualClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));

  @Test
  void idsCarryTheirTimeAndIncreaseWithinOneMillisecond() {
    MeasurementIds ids = new MeasurementIds(clock, 3, 0);
    long first = ids.next();
    long second = ids.next();

    assertThat(second).isEqualTo(first + 1);
    assertThat(MeasurementIds.epochMillisOf(first)).isEqualTo(clock.now.toEpochMilli());
  }

  @Test
  void neverGoBackwardsWhenTheClockDoes() {
    MeasurementIds ids = new MeasurementIds(clock, 0, 0);
    long before = ids.next();
    clock.now = clock.now.minusSeconds(30);

    assertThat(ids.next()).isGreaterThan(before);
  }

  @Test
  void borrowTheNextMillisecondRatherThanSpillIntoAnotherNodesIds() {
    MeasurementIds ids = new MeasurementIds(clock, 5, 0);
    Set<Long> seen = new HashSet<>();
    long last = 0;
    for (int i = 0; i < 70_000; i++) {
      last = ids.next();
      seen.add(last);
    }
    assertThat(seen).hasSize(70_000);
    // 65,536 ids per millisecond: the generator moved one millisecond ahead and kept its node.
    assertThat(MeasurementIds.epochMillisOf(last)).isEqualTo(clock.now.toEpochMilli() + 1);
    assertThat((last >>> 16) & 63).isEqualTo(5);
  }

  @Test
  void continueAboveTheStoredFloorAfterARestart() {
    long floor = new MeasurementIds(clock, 0, 0).next() + 1_000_000_000L;

    assertThat(new MeasurementIds(clock, 0, floor).next()).isGreaterThan(floor);
  }

  @Test
  void differentNodesNeverCollide() {
    MeasurementIds a = new MeasurementIds(clock, 1, 0);
    MeasurementIds b = new MeasurementIds(clock, 2, 0);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      seen.add(a.next());
      seen.add(b.next());
    }
    assertThat(seen).hasSize(2000);
  }

  @Test
  void refusesNodeIdsThatDoNotFit() {
    assertThatThrownBy(() -> new MeasurementIds(clock, 64, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
