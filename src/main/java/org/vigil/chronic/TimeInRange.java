package org.vigil.chronic;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The consensus CGM metrics of one period (Battelino T, et al. "Clinical Targets for Continuous
 * Glucose Monitoring Data Interpretation: Recommendations From the International Consensus on Time
 * in Range." Diabetes Care 2019;42(8):1593–1603, doi:10.2337/dci19-0028), as percentages of the
 * readings in the period:
 *
 * <ul>
 *   <li>TIR: 70–180 mg/dL, both ends included (as iglu's {@code in_range_percent});
 *   <li>TBR: below 70, and level 2 below 54 — cumulative: the below-70 band includes the below-54
 *       readings, as in the consensus figure;
 *   <li>TAR: above 180, and level 2 above 250 — cumulative in the same way;
 *   <li>mean, and GMI % = 3.31 + 0.02392 × mean mg/dL (Bergenstal RM, et al. "Glucose Management
 *       Indicator (GMI)." Diabetes Care 2018;41(11):2275–2280, doi:10.2337/dc18-1581);
 *   <li>CV % = 100 × SD / mean, with the population SD (divided by n, as cgmquantify's {@code
 *       interdaycv}); the consensus target is CV ≤ 36 %.
 * </ul>
 *
 * <p>Data sufficiency is explicit: the consensus asks for 14 days with at least 70 % of the
 * expected readings (the period over the sensor's reading interval). {@link #sufficient()} says
 * whether this period met it; an insufficient period keeps its figures, but anything that shows
 * them must say they rest on too few readings — they are never "in target".
 *
 * @param from start of the period, inclusive
 * @param to end of the period, exclusive
 * @param readings readings in the period
 * @param expectedReadings readings a sensor worn all the time would have given
 * @param tir percent 70–180 mg/dL inclusive
 * @param tbr70 percent below 70 mg/dL
 * @param tbr54 percent below 54 mg/dL
 * @param tar180 percent above 180 mg/dL
 * @param tar250 percent above 250 mg/dL
 * @param mean mean glucose, mg/dL
 * @param sd population standard deviation, mg/dL
 * @param cv coefficient of variation, percent
 * @param gmi glucose management indicator, percent
 */
public record TimeInRange(
    Instant from,
    Instant to,
    int readings,
    long expectedReadings,
    double tir,
    double tbr70,
    double tbr54,
    double tar180,
    double tar250,
    double mean,
    double sd,
    double cv,
    double gmi) {

  /** The consensus period. */
  public static final Duration PERIOD = Duration.ofDays(14);

  /** The consensus sufficiency rule: at least 70 % of the expected readings. */
  public static final double SUFFICIENT_PERCENT = 70.0;

  /** Readings 70–180 mg/dL inclusive are in range. */
  public static final double RANGE_LOW = 70.0;

  public static final double RANGE_HIGH = 180.0;
  public static final double LEVEL_2_LOW = 54.0;
  public static final double LEVEL_2_HIGH = 250.0;

  /**
   * The metrics of the readings in {@code [from, to)}.
   *
   * @param interval the sensor's reading interval (5 min for Dexcom G6 and most CGMs, 15 min for
   *     FreeStyle Libre), which sets the expected readings
   */
  public static TimeInRange of(
      List<GlucoseSample> samples, Instant from, Instant to, Duration interval) {
    Objects.requireNonNull(samples, "samples");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("the period must end after it starts");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the reading interval must be positive");
    }
    long expected = Duration.between(from, to).toMillis() / interval.toMillis();
    int n = 0;
    int inRange = 0;
    int below70 = 0;
    int below54 = 0;
    int above180 = 0;
    int above250 = 0;
    double sum = 0;
    for (GlucoseSample s : samples) {
      if (s.at().isBefore(from) || !s.at().isBefore(to)) {
        continue;
      }
      double g = s.mgPerDl();
      n++;
      sum += g;
      if (g >= RANGE_LOW && g <= RANGE_HIGH) {
        inRange++;
      }
      if (g < RANGE_LOW) {
        below70++;
      }
      if (g < LEVEL_2_LOW) {
        below54++;
      }
      if (g > RANGE_HIGH) {
        above180++;
      }
      if (g > LEVEL_2_HIGH) {
        above250++;
      }
    }
    if (n == 0) {
      return new TimeInRange(
          from,
          to,
          0,
          expected,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN);
    }
    double mean = sum / n;
    double squares = 0;
    for (GlucoseSample s : samples) {
      if (!s.at().isBefore(from) && s.at().isBefore(to)) {
        squares += (s.mgPerDl() - mean) * (s.mgPerDl() - mean);
      }
    }
    double sd = Math.sqrt(squares / n);
    return new TimeInRange(
        from,
        to,
        n,
        expected,
        percent(inRange, n),
        percent(below70, n),
        percent(below54, n),
        percent(above180, n),
        percent(above250, n),
        mean,
        sd,
        100.0 * sd / mean,
        gmi(mean));
  }

  /** GMI % from the mean glucose in mg/dL (Bergenstal 2018). */
  public static double gmi(double meanMgPerDl) {
    return 3.31 + 0.02392 * meanMgPerDl;
  }

  private static double percent(int part, int whole) {
    return 100.0 * part / whole;
  }

  /** Readings as a percentage of those expected. */
  public double capturePercent() {
    return expectedReadings == 0 ? 0 : 100.0 * readings / expectedReadings;
  }

  /** Whether the period has at least 70 % of the expected readings (the consensus rule). */
  public boolean sufficient() {
    return readings > 0 && capturePercent() >= SUFFICIENT_PERCENT;
  }

  /**
   * Whether every consensus target for most adults is met (TIR > 70 %, TBR < 4 % and < 1 %, TAR <
   * 25 % and < 5 %) — only ever true for a sufficient period.
   */
  public boolean targetsMet() {
    return sufficient() && tir > 70 && tbr70 < 4 && tbr54 < 1 && tar180 < 25 && tar250 < 5;
  }
}
