package org.vigil.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One vital's trend detector for one patient: one-sided CUSUMs of the deviations from an EWMA
 * baseline, in units of the baseline's spread. A heuristic, not a standard's alarm.
 *
 * <ol>
 *   <li><b>Resampling.</b> Readings are averaged per bucket ({@code bucket}, 1 min) of measurement
 *       time; a bucket's mean becomes a sample when the first reading of a later bucket arrives. A
 *       1 Hz monitor gives one sample a minute, a reading every 15 minutes one sample each. A
 *       reading older than the open bucket is ignored.
 *   <li><b>Warm-up.</b> The first samples — at least {@code warmUpSamples} spanning {@code
 *       warmUpTime} — set the baseline (their mean) and spread (their standard deviation); nothing
 *       is detected meanwhile. A gap longer than {@code maxGap} starts the warm-up over.
 *   <li><b>Statistic.</b> For each sample {@code z = (x − baseline) / sd}, {@code sd} never below
 *       the vital's least spread; rising {@code S⁺ = min(h, max(0, S⁺ + z − k))}, falling {@code S⁻
 *       = min(h, max(0, S⁻ − z − k))}. A trend is detected when its statistic reaches {@code h}
 *       ({@code threshold}) and clears when it falls below {@code reset}.
 *   <li><b>Baseline.</b> While no trend is detected, the baseline and spread follow the samples as
 *       EWMAs with time constant {@code baselineTimeConstant} (the baseline's step clipped to two
 *       standard deviations); while one is, they hold, so that the change is not learnt as the
 *       patient's normal. A trend detected for {@code relearnAfter} starts the warm-up over: the
 *       new level becomes the baseline.
 * </ol>
 *
 * <p>A step of {@code δ} standard deviations ({@code δ > k}) from a steady baseline is detected on
 * the {@code ⌈h / (δ − k)⌉}-th sample after it. Not thread-safe: the patient's partition owns it.
 */
final class VitalTrend {

  /** What one sample did. */
  record Sample(Instant at, double level, double baseline, double sd, double rise, double fall) {}

  /** Deviations beyond this many standard deviations are learnt as this many. */
  private static final double LEARN_CLIP = 2;

  private final TrendProperties settings;
  private final double minSd;
  private final boolean watchRise;
  private final boolean watchFall;

  private Instant bucketStart;
  private double bucketSum;
  private int bucketCount;

  private int samples;
  private Instant firstSample;
  private Instant lastSample;
  private boolean warm;
  private double mean;
  private double spread; // sum of squares during warm-up (Welford), the variance after
  private double rise;
  private double fall;
  private Instant risingSince;
  private Instant fallingSince;

  VitalTrend(TrendProperties settings, double minSd, boolean watchRise, boolean watchFall) {
    this.settings = settings;
    this.minSd = minSd;
    this.watchRise = watchRise;
    this.watchFall = watchFall;
  }

  /** Takes a reading; returns the sample of the bucket it closed, if it closed one. */
  Optional<Sample> add(Instant at, double value) {
    Instant start = bucketOf(at);
    if (bucketStart == null) {
      open(start, value);
      return Optional.empty();
    }
    int order = start.compareTo(bucketStart);
    if (order == 0) {
      bucketSum += value;
      bucketCount++;
      return Optional.empty();
    }
    if (order < 0) {
      return Optional.empty();
    }
    Sample sample = sample(bucketStart, bucketSum / bucketCount);
    open(start, value);
    return Optional.of(sample);
  }

  boolean rising() {
    return risingSince != null;
  }

  boolean falling() {
    return fallingSince != null;
  }

  boolean warm() {
    return warm;
  }

  private void open(Instant start, double value) {
    bucketStart = start;
    bucketSum = value;
    bucketCount = 1;
  }

  private Instant bucketOf(Instant at) {
    long size = settings.bucket().toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), size) * size);
  }

  private Sample sample(Instant at, double x) {
    if (lastSample != null && Duration.between(lastSample, at).compareTo(settings.maxGap()) > 0) {
      restart();
    }
    if (!warm) {
      warmUp(at, x);
      return new Sample(at, x, mean, sd(), 0, 0);
    }
    double sd = sd();
    double z = (x - mean) / sd;
    double h = settings.threshold();
    double k = settings.allowance();
    if (watchRise) {
      rise = Math.min(h, Math.max(0, rise + z - k));
    }
    if (watchFall) {
      fall = Math.min(h, Math.max(0, fall - z - k));
    }
    Sample sample = new Sample(at, x, mean, sd, rise, fall);
    if (rise >= h && risingSince == null) {
      risingSince = at;
    } else if (rise < settings.reset()) {
      risingSince = null;
    }
    if (fall >= h && fallingSince == null) {
      fallingSince = at;
    } else if (fall < settings.reset()) {
      fallingSince = null;
    }
    if (risingSince == null && fallingSince == null) {
      double weight =
          1 - Math.exp(-seconds(lastSample, at) / seconds(settings.baselineTimeConstant()));
      // the baseline's step is clipped, so that one wild minute moves it no more than a plausible
      // one; the spread's is not, since clipping would make it too small
      double deviation = x - mean;
      mean += weight * Math.clamp(deviation, -LEARN_CLIP * sd, LEARN_CLIP * sd);
      spread = (1 - weight) * (spread + weight * deviation * deviation);
    }
    lastSample = at;
    if (detectedLongerThan(risingSince, at) || detectedLongerThan(fallingSince, at)) {
      restart();
    }
    return sample;
  }

  private boolean detectedLongerThan(Instant since, Instant at) {
    return since != null && Duration.between(since, at).compareTo(settings.relearnAfter()) >= 0;
  }

  private void warmUp(Instant at, double x) {
    if (samples == 0) {
      firstSample = at;
    }
    samples++;
    double deviation = x - mean;
    mean += deviation / samples;
    spread += deviation * (x - mean);
    lastSample = at;
    if (samples >= settings.warmUpSamples()
        && Duration.between(firstSample, at).compareTo(settings.warmUpTime()) >= 0) {
      warm = true;
      spread = spread / (samples - 1);
    }
  }

  private double sd() {
    double variance = warm ? spread : samples > 1 ? spread / (samples - 1) : 0;
    return Math.max(minSd, Math.sqrt(variance));
  }

  private void restart() {
    samples = 0;
    firstSample = null;
    lastSample = null;
    warm = false;
    mean = 0;
    spread = 0;
    rise = 0;
    fall = 0;
    risingSince = null;
    fallingSince = null;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
