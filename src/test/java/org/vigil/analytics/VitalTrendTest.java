package org.vigil.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The trend detector's arithmetic on series whose answer can be worked out by hand: with the
 * defaults (k = 0.5, h = 10 standard deviations, heart rate's least spread 10 /min, SpO2's 2 %), a
 * step of δ standard deviations from a steady baseline is detected on sample ⌈h / (δ − k)⌉.
 */
class VitalTrendTest {

  private static final TrendProperties DEFAULTS = TrendProperties.DEFAULTS;
  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static VitalTrend heartRate() {
    return new VitalTrend(DEFAULTS, DEFAULTS.heartRateMinSd(), true, true);
  }

  /** What happened when: the sample index of the first detection, or -1. */
  private record Run(int firstRising, int firstFalling, VitalTrend trend) {}

  /**
   * Feeds one reading per {@code every}, value by index, and returns the index (of readings) whose
   * sample first detected each direction. A sample is the bucket a reading closes, so index i's
   * sample is reading i − 1's bucket.
   */
  private static Run feed(VitalTrend trend, int n, Duration every, IntToDoubleFunction value) {
    int rising = -1;
    int falling = -1;
    for (int i = 0; i < n; i++) {
      Optional<VitalTrend.Sample> s =
          trend.add(T0.plus(every.multipliedBy(i)), value.applyAsDouble(i));
      if (s.isPresent()) {
        if (trend.rising() && rising < 0) {
          rising = i - 1;
        }
        if (trend.falling() && falling < 0) {
          falling = i - 1;
        }
      }
    }
    return new Run(rising, falling, trend);
  }

  @Test
  void aFlatNoisySeriesRaisesNothingInADay() {
    Random noise = new Random(7);
    Run run = feed(heartRate(), 24 * 60, MINUTE, i -> 72 + 3 * noise.nextGaussian());
    assertThat(run.firstRising()).isEqualTo(-1);
    assertThat(run.firstFalling()).isEqualTo(-1);
    assertThat(run.trend().warm()).isTrue();
  }

  @Test
  void aFlatSeriesWithNoiseAboveTheLeastSpreadRaisesNothingInADay() {
    // sd 12 > 10: the detector runs on its own spread estimate. Siegmund's approximation puts the
    // in-control average run length at some 140,000 samples with k = 0.5, h = 10 (19,000 with
    // h = 8 — which, with the baseline and spread estimated, gave 9 false trends in 120 days)
    Random noise = new Random(11);
    Run run = feed(heartRate(), 24 * 60, MINUTE, i -> 80 + 12 * noise.nextGaussian());
    assertThat(run.firstRising()).isEqualTo(-1);
    assertThat(run.firstFalling()).isEqualTo(-1);
  }

  @Test
  void aStepOfThreeAndAQuarterStandardDeviationsIsDetectedOnTheFourthSample() {
    // steady 70, so the spread is the least, 10 /min; +33 /min is δ = 3.3: ⌈10 / 2.8⌉ = 4 (the
    // baseline learns a little of the step's first samples: a step whose count is a whole number,
    // such as δ = 3, takes one more)
    int stepAt = 40;
    Run run = feed(heartRate(), 60, MINUTE, i -> i < stepAt ? 70 : 103);
    assertThat(run.firstRising()).isEqualTo(stepAt + 4 - 1);
    assertThat(run.firstFalling()).isEqualTo(-1);
  }

  @Test
  void aNoisyStepIsDetectedWithinTheComputedSamplesPlusOne() {
    Random noise = new Random(3);
    int stepAt = 60;
    // δ = 40 / 10 = 4: ⌈10 / 3.5⌉ = 3
    Run run = feed(heartRate(), 90, MINUTE, i -> (i < stepAt ? 70 : 110) + noise.nextGaussian());
    assertThat(run.firstRising()).isBetween(stepAt + 3 - 1, stepAt + 3);
  }

  @Test
  void aRampOfOnePerMinuteIsDetectedAfterNineteenMinutesLongBeforeTheLimit() {
    // z after i minutes is i / 10; S after n is Σ (i/10 − 0.5) for i ≥ 6 = (n−4)(n−5)/20 ≥ 10 at
    // n = 19 without learning; the baseline follows the ramp until it is detected (some 3 /min by
    // then), which costs two minutes: 21
    int rampAt = 40;
    Run run = feed(heartRate(), 120, MINUTE, i -> i < rampAt ? 70 : 70 + (i - rampAt + 1));
    int minutes = run.firstRising() - rampAt + 1;
    assertThat(minutes).isBetween(19, 21);
    assertThat(70 + minutes).isLessThan(120);
  }

  @Test
  void aFallingHeartRateIsDetectedAndARisingOneIsNot() {
    int stepAt = 40;
    Run run = feed(heartRate(), 60, MINUTE, i -> i < stepAt ? 70 : 37);
    assertThat(run.firstFalling()).isEqualTo(stepAt + 4 - 1);
    assertThat(run.firstRising()).isEqualTo(-1);
  }

  @Test
  void spo2FallingIsDetected() {
    // whole percent, 96–98 around 97: the spread is the least, 2 %; 90 % is δ ≈ 3.5: ⌈10 / 3⌉ = 4
    Random noise = new Random(5);
    VitalTrend spo2 = new VitalTrend(DEFAULTS, DEFAULTS.spo2MinSd(), false, true);
    int dropAt = 45;
    Run run =
        feed(
            spo2,
            70,
            MINUTE,
            i -> i < dropAt ? 97 + (noise.nextInt(3) - 1) * (noise.nextInt(4) == 0 ? 1 : 0) : 90);
    assertThat(run.firstFalling()).isBetween(dropAt + 4 - 1, dropAt + 5 - 1);
    assertThat(run.firstRising()).isEqualTo(-1);
  }

  @Test
  void nothingIsDetectedDuringTheWarmUp() {
    // 15 samples over 30 minutes: a jump at minute 10 is learnt as part of the baseline
    VitalTrend trend = heartRate();
    Run run = feed(trend, 32, MINUTE, i -> i < 10 ? 70 : 120);
    assertThat(run.firstRising()).isEqualTo(-1);
    assertThat(trend.warm()).isTrue();
  }

  @Test
  void theWarmUpNeedsBothTheSamplesAndTheTime() {
    VitalTrend perMinute = heartRate();
    feed(perMinute, 30, MINUTE, i -> 70);
    assertThat(perMinute.warm()).as("29 samples over 28 minutes").isFalse();
    feed(perMinute, 32, MINUTE, i -> 70);
    // a reading every 15 minutes is one sample each: 15 of them take 3 h 30 min
    VitalTrend cuff = heartRate();
    feed(cuff, 15, Duration.ofMinutes(15), i -> 70);
    assertThat(cuff.warm()).as("14 samples").isFalse();
    feed(cuff, 16, Duration.ofMinutes(15), i -> 70);
    assertThat(cuff.warm()).isTrue();
  }

  @Test
  void aOneHertzMonitorIsAveragedPerMinute() {
    // 1 Hz with ±5 /min of beat-to-beat scatter, +33 /min step: the per-minute means see the same
    // step as the per-minute series, and detect it on the same sample
    Random noise = new Random(9);
    int stepAt = 40 * 60;
    int[] samples = {0};
    VitalTrend trend = heartRate();
    int detectedAt = -1;
    for (int s = 0; s < 60 * 60; s++) {
      double value = (s < stepAt ? 70 : 103) + 10 * (noise.nextDouble() - 0.5);
      if (trend.add(T0.plusSeconds(s), value).isPresent()) {
        samples[0]++;
        if (trend.rising() && detectedAt < 0) {
          detectedAt = samples[0];
        }
      }
    }
    assertThat(samples[0]).isEqualTo(59);
    assertThat(detectedAt).isEqualTo(40 + 4);
  }

  @Test
  void aDetectedTrendClearsOnceTheStatisticFallsUnderTheResetLevel() {
    // capped at h = 10; back at the baseline each sample takes k = 0.5 off — a little more, as the
    // baseline learnt the step's first samples before it was detected: under 2 by the 17th
    int stepAt = 40;
    int backAt = 50;
    VitalTrend trend = heartRate();
    int cleared = -1;
    for (int i = 0; i < 80; i++) {
      double value = i >= stepAt && i < backAt ? 103 : 70;
      boolean was = trend.rising();
      if (trend.add(T0.plus(MINUTE.multipliedBy(i)), value).isPresent() && was && !trend.rising()) {
        cleared = i - 1;
      }
    }
    assertThat(cleared - backAt + 1).isBetween(13, 17);
  }

  @Test
  void aGapLongerThanTheMaximumStartsTheWarmUpOver() {
    VitalTrend trend = heartRate();
    feed(trend, 40, MINUTE, i -> 70);
    assertThat(trend.warm()).isTrue();
    trend.add(T0.plus(Duration.ofHours(5)), 70);
    trend.add(T0.plus(Duration.ofHours(5)).plus(MINUTE), 70);
    assertThat(trend.warm()).isFalse();
  }

  @Test
  void aTrendDetectedForFourHoursBecomesTheBaseline() {
    // detected on the 4th sample after the step, it clears (the warm-up starts over) 4 h later
    int stepAt = 40;
    VitalTrend trend = heartRate();
    int detected = -1;
    int cleared = -1;
    for (int i = 0; i < stepAt + 5 * 60; i++) {
      boolean was = trend.rising();
      if (trend.add(T0.plus(MINUTE.multipliedBy(i)), i < stepAt ? 70 : 103).isPresent()) {
        if (!was && trend.rising()) {
          detected = i - 1;
        } else if (was && !trend.rising()) {
          cleared = i - 1;
        }
      }
    }
    assertThat(detected).isEqualTo(stepAt + 3);
    assertThat(cleared - detected).isEqualTo(4 * 60);
    assertThat(trend.rising()).isFalse();
    assertThat(trend.warm()).as("warmed up again on the new level").isTrue();
  }
}
