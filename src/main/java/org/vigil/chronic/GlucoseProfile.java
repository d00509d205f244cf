package org.vigil.chronic;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * An ambulatory glucose profile (AGP) in the manner of the consensus report (Battelino 2019, Fig.
 * 2): every reading of the period folded onto one day by its local time of day, in bins; per bin
 * the median and the 25–75 % and 5–95 % percentiles. Percentiles interpolate linearly between the
 * closest ranks (Hyndman and Fan's type 7, the default of R and NumPy). A bin with fewer than
 * {@link #MIN_READINGS_PER_BIN} readings shows no bands: a percentile of two readings means
 * nothing.
 *
 * @param bin the width of each bin
 * @param bins one per bin, from midnight
 */
public record GlucoseProfile(Duration bin, List<Bin> bins) {

  /** Bins with fewer readings than this show only their count. */
  public static final int MIN_READINGS_PER_BIN = 5;

  /**
   * One bin's figures; the percentiles are {@code NaN} when the bin has too few readings.
   *
   * @param start local time of day the bin starts
   * @param readings readings in the bin
   */
  public record Bin(
      LocalTime start,
      int readings,
      double p5,
      double p25,
      double median,
      double p75,
      double p95) {}

  public GlucoseProfile {
    bins = List.copyOf(bins);
  }

  /** The profile of the samples, folded by their time of day in {@code zone}. */
  public static GlucoseProfile of(List<GlucoseSample> samples, ZoneId zone, Duration bin) {
    long minutes = bin.toMinutes();
    if (minutes <= 0 || 1440 % minutes != 0 || bin.toSeconds() % 60 != 0) {
      throw new IllegalArgumentException("a bin is a whole number of minutes that divides a day");
    }
    int count = (int) (1440 / minutes);
    List<List<Double>> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(new ArrayList<>());
    }
    for (GlucoseSample s : samples) {
      LocalTime time = s.at().atZone(zone).toLocalTime();
      int minuteOfDay = time.getHour() * 60 + time.getMinute();
      values.get((int) (minuteOfDay / minutes)).add(s.mgPerDl());
    }
    List<Bin> bins = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double[] sorted = values.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      LocalTime start = LocalTime.MIDNIGHT.plusMinutes(i * minutes);
      if (sorted.length < MIN_READINGS_PER_BIN) {
        bins.add(
            new Bin(
                start, sorted.length, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
      } else {
        bins.add(
            new Bin(
                start,
                sorted.length,
                percentile(sorted, 5),
                percentile(sorted, 25),
                percentile(sorted, 50),
                percentile(sorted, 75),
                percentile(sorted, 95)));
      }
    }
    return new GlucoseProfile(bin, bins);
  }

  /** The percentile of sorted values, interpolating between closest ranks (type 7). */
  static double percentile(double[] sorted, double percent) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    if (!isSorted(sorted)) {
      throw new IllegalArgumentException("values must be sorted");
    }
    double rank = percent / 100.0 * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }

  private static boolean isSorted(double[] values) {
    for (int i = 1; i < values.length; i++) {
      if (values[i] < values[i - 1]) {
        return false;
      }
    }
    return true;
  }
}
