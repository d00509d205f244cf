package org.vigil.chronic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ESH home blood pressure protocol on a known week, and the crisis thresholds. */
class HomeBloodPressureTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");

  private static BloodPressureReading at(int day, int hour, int minute, double sys, double dia) {
    return new BloodPressureReading(
        LocalDateTime.of(2026, 11, 24, hour, minute).plusDays(day).atZone(ZONE).toInstant(),
        sys,
        dia);
  }

  /**
   * Seven days, duplicates at 07:00 and 20:00. Day 1 (high: 170/100) is discarded. Days 2-7:
   * mornings 142/88 and 144/90, evenings 130/80 and 132/82: average of 24 readings 137/85, mornings
   * 143/89.
   */
  @Test
  void averagesTheWeekWithoutItsFirstDay() {
    List<BloodPressureReading> week = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      week.add(at(0, 7 + r, 0, 170, 100));
    }
    for (int day = 1; day < 7; day++) {
      week.add(at(day, 7, 0, 142, 88));
      week.add(at(day, 7, 2, 144, 90));
      week.add(at(day, 20, 0, 130, 80));
      week.add(at(day, 20, 2, 132, 82));
    }
    Instant to = LocalDateTime.of(2026, 11, 30, 23, 0).atZone(ZONE).toInstant();
    HomeBloodPressure home = HomeBloodPressure.of(week, to, ZONE);

    assertThat(home.discardedDay()).contains(LocalDate.of(2026, 11, 24));
    assertThat(home.days()).isEqualTo(6);
    assertThat(home.readings()).isEqualTo(24);
    assertThat(home.systolic()).isCloseTo(137.0, within(1e-9));
    assertThat(home.diastolic()).isCloseTo(85.0, within(1e-9));
    assertThat(home.morningReadings()).isEqualTo(12);
    assertThat(home.morningSystolic()).isCloseTo(143.0, within(1e-9));
    assertThat(home.morningDiastolic()).isCloseTo(89.0, within(1e-9));
    assertThat(home.sufficient()).isTrue();
    // 137/85 against < 135/85: above (each number must be below its target).
    assertThat(home.atTarget(135, 85)).contains(false);
    assertThat(home.atTarget(140, 90)).contains(true);
  }

  @Test
  void tooFewDaysOrReadingsIsNotClassified() {
    List<BloodPressureReading> three = new ArrayList<>();
    for (int day = 0; day < 3; day++) {
      for (int r = 0; r < 6; r++) {
        three.add(at(day, 7, r, 120, 70));
      }
    }
    Instant to = LocalDateTime.of(2026, 11, 26, 23, 0).atZone(ZONE).toInstant();
    HomeBloodPressure home = HomeBloodPressure.of(three, to, ZONE);
    // Two days left after the discard: fewer than ESH's 3.
    assertThat(home.days()).isEqualTo(2);
    assertThat(home.readings()).isEqualTo(12);
    assertThat(home.sufficient()).isFalse();
    assertThat(home.atTarget(135, 85)).isEmpty();
  }

  @Test
  void readingsBeforeTheWeekAreLeftOut() {
    List<BloodPressureReading> readings =
        List.of(at(0, 7, 0, 200, 110), at(7, 7, 0, 120, 80), at(8, 7, 0, 124, 82));
    Instant to = LocalDateTime.of(2026, 12, 6, 12, 0).atZone(ZONE).toInstant();
    HomeBloodPressure home = HomeBloodPressure.of(readings, to, ZONE);
    // 24 November is more than 6 days before 6 December: out; 1 December is the discarded day.
    assertThat(home.discardedDay()).contains(LocalDate.of(2026, 12, 1));
    assertThat(home.readings()).isEqualTo(1);
    assertThat(home.systolic()).isEqualTo(124.0);
  }

  @Test
  void crisisAtOneEightyOverOneTwentyAndNotBelow() {
    Instant now = Instant.parse("2026-12-01T08:00:00Z");
    assertThat(new BloodPressureReading(now, 180, 100).crisis()).isTrue();
    assertThat(new BloodPressureReading(now, 179, 119).crisis()).isFalse();
    assertThat(new BloodPressureReading(now, 150, 120).crisis()).isTrue();
    assertThat(new BloodPressureReading(now, 179.9, 119.9).crisis()).isFalse();
  }
}
