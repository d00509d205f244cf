package org.vigil.simulate;

import java.util.SplittableRandom;

/**
 * One patient's vital signs, second by second: each vital wanders around the patient's own resting
 * value (a mean-reverting random walk) with beat-to-beat noise on top, within physiological bounds.
 * Deterministic for a given seed. Plausible, not a physiological model: the simulator issue adds
 * correlation, circadian rhythm and scripted episodes.
 */
final class Physiology {

  private final SplittableRandom random;
  private final Vital heartRate;
  private final Vital oxygenSaturation;
  private final Vital respiratoryRate;
  private final Vital systolic;
  private final Vital diastolic;
  private final Vital temperature;

  Physiology(long seed) {
    this.random = new SplittableRandom(seed);
    this.heartRate = new Vital(uniform(62, 92), 1.5, 1.0, 35, 180);
    this.oxygenSaturation = new Vital(uniform(94.5, 99), 0.3, 0.4, 80, 100);
    this.respiratoryRate = new Vital(uniform(12, 19), 0.4, 0.5, 6, 40);
    this.systolic = new Vital(uniform(108, 142), 1.5, 2.0, 70, 200);
    this.diastolic = new Vital(uniform(62, 88), 1.0, 1.5, 40, 120);
    this.temperature = new Vital(uniform(36.4, 37.3), 0.02, 0.03, 34, 41);
  }

  /** The values for the next second. */
  Vitals next() {
    double sys = systolic.next();
    double dia = Math.min(diastolic.next(), sys - 20);
    return new Vitals(
        Math.round(heartRate.next()),
        Math.round(oxygenSaturation.next()),
        Math.round(respiratoryRate.next()),
        Math.round(sys),
        Math.round(dia),
        Math.round(temperature.next() * 10) / 10.0);
  }

  record Vitals(
      long heartRate,
      long oxygenSaturation,
      long respiratoryRate,
      long systolic,
      long diastolic,
      double temperature) {}

  private double uniform(double low, double high) {
    return low + random.nextDouble() * (high - low);
  }

  private final class Vital {
    private final double resting;
    private final double drift;
    private final double noise;
    private final double min;
    private final double max;
    private double level;

    Vital(double resting, double drift, double noise, double min, double max) {
      this.resting = resting;
      this.drift = drift;
      this.noise = noise;
      this.min = min;
      this.max = max;
      this.level = resting;
    }

    double next() {
      // Mean reversion keeps the walk near the resting value; 5% a second pulls it back quickly.
      level += 0.05 * (resting - level) + drift * gaussian();
      double value = level + noise * gaussian();
      return Math.clamp(value, min, max);
    }
  }

  private double gaussian() {
    // Box-Muller from the seeded generator, to stay deterministic.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
