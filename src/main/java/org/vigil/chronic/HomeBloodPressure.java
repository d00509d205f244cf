package org.vigil.chronic;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The home blood pressure of one week, by the ESH protocol for home monitoring (Stergiou GS, et al.
 * "2021 European Society of Hypertension practice guidelines for office and out-of-office blood
 * pressure measurement." J Hypertens 2021;39:1293–1302): duplicate readings morning and evening
 * over 7 days (at least 3), the <b>first day discarded</b>, and the average of all the remaining
 * readings is the home blood pressure. Vigil takes the days of the 7 before {@code to}, in the
 * patient's time zone, that have readings; drops the earliest of those days; and averages the rest.
 * "Morning" is a reading before noon local time, "evening" from noon on. The result is {@link
 * #sufficient()} with at least 3 days and 12 readings left after the discard (ESH: at least 12
 * readings, 3 days); otherwise it says so and its average is not classified.
 *
 * @param days days with readings kept (after the first is discarded)
 * @param readings readings averaged
 * @param systolic mean systolic of those readings, mmHg ({@code NaN} if none)
 * @param diastolic mean diastolic, mmHg
 * @param morningReadings morning readings among them
 * @param morningSystolic mean of the morning readings' systolic ({@code NaN} if none)
 * @param morningDiastolic mean of the morning readings' diastolic
 * @param discardedDay the day discarded, if any
 */
public record HomeBloodPressure(
    int days,
    int readings,
    double systolic,
    double diastolic,
    int morningReadings,
    double morningSystolic,
    double morningDiastolic,
    java.util.Optional<LocalDate> discardedDay) {

  /** ESH: at least 3 days and 12 readings. */
  public static final int MIN_DAYS = 3;

  public static final int MIN_READINGS = 12;

  /** The week before {@code to}, as the ESH protocol averages it. */
  public static HomeBloodPressure of(List<BloodPressureReading> all, Instant to, ZoneId zone) {
    Objects.requireNonNull(all, "all");
    LocalDate last = to.atZone(zone).toLocalDate();
    // The 7 days ending with the day of `to` (today counts as a day of the week).
    LocalDate first = last.minusDays(6);
    TreeMap<LocalDate, List<BloodPressureReading>> byDay = new TreeMap<>();
    for (BloodPressureReading r : all) {
      if (r.at().isAfter(to)) {
        continue;
      }
      LocalDate day = r.at().atZone(zone).toLocalDate();
      if (day.isBefore(first)) {
        continue;
      }
      byDay.computeIfAbsent(day, d -> new java.util.ArrayList<>()).add(r);
    }
    java.util.Optional<LocalDate> discarded = java.util.Optional.empty();
    if (!byDay.isEmpty()) {
      discarded = java.util.Optional.of(byDay.firstKey());
      byDay.remove(byDay.firstKey());
    }
    int n = 0;
    double sys = 0;
    double dia = 0;
    int m = 0;
    double mSys = 0;
    double mDia = 0;
    for (List<BloodPressureReading> day : byDay.values()) {
      for (BloodPressureReading r : day) {
        n++;
        sys += r.systolic();
        dia += r.diastolic();
        if (r.at().atZone(zone).getHour() < 12) {
          m++;
          mSys += r.systolic();
          mDia += r.diastolic();
        }
      }
    }
    return new HomeBloodPressure(
        byDay.size(),
        n,
        n == 0 ? Double.NaN : sys / n,
        n == 0 ? Double.NaN : dia / n,
        m,
        m == 0 ? Double.NaN : mSys / m,
        m == 0 ? Double.NaN : mDia / m,
        discarded);
  }

  /** Whether there are enough readings to judge: 3 days and 12 readings after the discard. */
  public boolean sufficient() {
    return days >= MIN_DAYS && readings >= MIN_READINGS;
  }

  /**
   * Whether the average is below the target (both numbers strictly below, as a target is written
   * "&lt; 135/85"); empty when there are too few readings to say.
   */
  public java.util.Optional<Boolean> atTarget(double targetSystolic, double targetDiastolic) {
    if (!sufficient()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(systolic < targetSystolic && diastolic < targetDiastolic);
  }
}
