package org.vigil.simulate;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The vital signs the simulator produces, with what a device sends for each (LOINC code, UCUM unit,
 * resolution), the range a resting adult's value is drawn from, how much it wanders and how noisy
 * one reading is, the circadian swing, the hard bounds of a living patient and how often a device
 * reports it by default.
 */
enum Vital {
  HEART_RATE("heartRate", "8867-4", "/min", 0, 62, 92, 4, 1.0, 5, 16, 25, 220, "PT1S"),
  OXYGEN_SATURATION(
      "oxygenSaturation", "59408-5", "%", 0, 95, 99, 0.6, 0.4, 0.3, 4, 50, 100, "PT1S"),
  RESPIRATORY_RATE("respiratoryRate", "9279-1", "/min", 0, 12, 19, 1, 0.5, 1, 15, 4, 60, "PT1S"),
  // Cuff readings, every 15 minutes as on a ward's automatic cycle.
  SYSTOLIC("systolic", "8480-6", "mm[Hg]", 0, 108, 142, 4, 2, 6, 14, 50, 240, "PT15M"),
  DIASTOLIC("diastolic", "8462-4", "mm[Hg]", 0, 62, 88, 3, 1.5, 4, 14, 25, 140, "PT15M"),
  // Lowest in the early morning, highest in the early evening.
  TEMPERATURE("temperature", "8310-5", "Cel", 1, 36.4, 37.2, 0.1, 0.05, 0.3, 18, 33, 42.5, "PT1M"),
  // Continuous glucose monitors report every five minutes.
  GLUCOSE("glucose", "2339-0", "mg/dL", 0, 85, 120, 8, 3, 0, 0, 20, 500, "PT5M"),
  WEIGHT("weight", "29463-7", "kg", 1, 55, 95, 0.3, 0.1, 0, 0, 2, 300, "P1D");

  private final String jsonName;
  private final String code;
  private final String unit;
  private final int decimals;
  private final double restingLow;
  private final double restingHigh;
  private final double wander;
  private final double noise;
  private final double circadianAmplitude;
  private final double circadianPeakHour;
  private final double min;
  private final double max;
  private final Duration defaultInterval;

  Vital(
      String jsonName,
      String code,
      String unit,
      int decimals,
      double restingLow,
      double restingHigh,
      double wander,
      double noise,
      double circadianAmplitude,
      double circadianPeakHour,
      double min,
      double max,
      String defaultInterval) {
    this.jsonName = jsonName;
    this.code = code;
    this.unit = unit;
    this.decimals = decimals;
    this.restingLow = restingLow;
    this.restingHigh = restingHigh;
    this.wander = wander;
    this.noise = noise;
    this.circadianAmplitude = circadianAmplitude;
    this.circadianPeakHour = circadianPeakHour;
    this.min = min;
    this.max = max;
    this.defaultInterval = Duration.parse(defaultInterval);
  }

  /** The name in scenario files and on the command line, e.g. {@code heartRate}. */
  String jsonName() {
    return jsonName;
  }

  /** LOINC code, as the device sends it. */
  String code() {
    return code;
  }

  /** UCUM unit, the catalog's canonical one. */
  String unit() {
    return unit;
  }

  double restingLow() {
    return restingLow;
  }

  double restingHigh() {
    return restingHigh;
  }

  /** Standard deviation of the slow wander around the resting value. */
  double wander() {
    return wander;
  }

  /** Standard deviation of one reading's measurement noise. */
  double noise() {
    return noise;
  }

  double circadianAmplitude() {
    return circadianAmplitude;
  }

  double circadianPeakHour() {
    return circadianPeakHour;
  }

  /** The lowest value a device reports (a living patient, a working sensor). */
  double min() {
    return min;
  }

  double max() {
    return max;
  }

  Duration defaultInterval() {
    return defaultInterval;
  }

  /** Rounded to what a device displays: whole beats, tenths of a degree. */
  double round(double value) {
    double scale = Math.pow(10, decimals);
    return Math.round(Math.clamp(value, min, max) * scale) / scale;
  }

  static Optional<Vital> byName(String name) {
    return Arrays.stream(values()).filter(v -> v.jsonName.equals(name)).findFirst();
  }

  static String names() {
    return String.join(", ", Arrays.stream(values()).map(Vital::jsonName).toList());
  }
}
