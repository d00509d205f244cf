package org.vigil.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The trend detectors' parameters ({@code vigil.analytics.trends.*}). They are Vigil's heuristics,
 * chosen for a low false-alarm rate on a stable patient and a detection well ahead of the default
 * alarm limits; they are not from IEC 60601-1-8 or any published standard. docs/ALARMS.md, "Trends
 * (heuristics)", explains each and the detection delays the tests measure.
 *
 * @param enabled whether trends are watched at all
 * @param bucket readings are averaged per bucket of this length (by their measurement time) and
 *     each bucket's mean is one sample, so a 1 Hz monitor and a reading every 15 minutes both give
 *     at most one sample per bucket
 * @param warmUpSamples samples a baseline needs before it may alarm
 * @param warmUpTime and the time they must span
 * @param baselineTimeConstant the EWMA baseline's (and spread's) time constant: a sample {@code dt}
 *     after the previous one weighs {@code 1 - exp(-dt / constant)}
 * @param allowance the CUSUM's allowance k, in standard deviations: deviations smaller than this
 *     never accumulate
 * @param threshold the CUSUM's decision level h, in standard deviations; the statistic is capped
 *     here
 * @param reset the level under which a detected trend clears (and the baseline learns again), in
 *     standard deviations
 * @param maxGap a gap between samples longer than this starts the baseline over (the patient was
 *     off the monitor)
 * @param relearnAfter a trend detected this long ago (patient time) becomes the new baseline: the
 *     detector starts over, and its alarm clears
 * @param heartRateMinSd the least spread assumed for heart rate (/min). Per-minute means of a real
 *     patient wander for minutes at a time (the simulator: ±4 /min, forgetting in 10 min), which
 *     the CUSUM, built for independent samples, would take for a trend; this floor keeps such
 *     wander under the allowance and sets the smallest change worth an alarm (2 sd)
 * @param respiratoryRateMinSd the same for respiration rate (/min)
 * @param spo2MinSd the same for SpO2 (%)
 * @param news2Rise a complete NEWS2 this many points above the lowest complete one within the
 *     window is a rising NEWS2
 * @param news2Window how far back that lowest score is looked for (patient time)
 * @param news2RiseParameters how many parameters must score more than they did in that lowest
 *     score: with 2 (the default), one parameter stepping over a band edge — a respiration rate of
 *     20 that reads 21 is 2 points — is no rise; that one parameter's own alarms (its limit, a 3 in
 *     a single parameter) stand behind it. 1 counts any rise of the total
 */
@ConfigurationProperties("vigil.analytics.trends")
public record TrendProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("PT1M") Duration bucket,
    @DefaultValue("15") int warmUpSamples,
    @DefaultValue("PT30M") Duration warmUpTime,
    @DefaultValue("PT1H") Duration baselineTimeConstant,
    @DefaultValue("0.5") double allowance,
    @DefaultValue("10") double threshold,
    @DefaultValue("2") double reset,
    @DefaultValue("PT2H") Duration maxGap,
    @DefaultValue("PT4H") Duration relearnAfter,
    @DefaultValue("10") double heartRateMinSd,
    @DefaultValue("3") double respiratoryRateMinSd,
    @DefaultValue("2") double spo2MinSd,
    @DefaultValue("2") int news2Rise,
    @DefaultValue("PT1H") Duration news2Window,
    @DefaultValue("2") int news2RiseParameters) {

  /** The defaults, as documented. */
  public static final TrendProperties DEFAULTS =
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
          2);

  public TrendProperties {
    positive(bucket, "bucket");
    positive(baselineTimeConstant, "baseline-time-constant");
    positive(maxGap, "max-gap");
    positive(relearnAfter, "relearn-after");
    positive(news2Window, "news2-window");
    if (warmUpTime == null || warmUpTime.isNegative()) {
      throw new IllegalArgumentException(
          "vigil.analytics.trends.warm-up-time must not be negative");
    }
    if (warmUpSamples < 2) {
      throw new IllegalArgumentException(
          "vigil.analytics.trends.warm-up-samples must be 2 or more");
    }
    if (!(allowance >= 0)) {
      throw new IllegalArgumentException("vigil.analytics.trends.allowance must not be negative");
    }
    if (!(threshold > 0) || !(reset >= 0) || reset >= threshold) {
      throw new IllegalArgumentException(
          "vigil.analytics.trends: 0 <= reset < threshold is required, not reset "
              + reset
              + " and threshold "
              + threshold);
    }
    if (!(heartRateMinSd > 0) || !(respiratoryRateMinSd > 0) || !(spo2MinSd > 0)) {
      throw new IllegalArgumentException("vigil.analytics.trends.*-min-sd must be positive");
    }
    if (news2RiseParameters < 1 || news2RiseParameters > News2Parameter.values().length) {
      throw new IllegalArgumentException(
          "vigil.analytics.trends.news2-rise-parameters must be 1 to "
              + News2Parameter.values().length);
    }
    if (news2Rise < 1) {
      throw new IllegalArgumentException("vigil.analytics.trends.news2-rise must be 1 or more");
    }
  }

  private static void positive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          "vigil.analytics.trends." + name + " must be a positive duration");
    }
  }
}
