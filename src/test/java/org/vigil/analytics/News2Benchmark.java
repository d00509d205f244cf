package org.vigil.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.MeasurementCatalog;

/**
 * What analytics does for every vital a patient's monitor sends: the NEWS2 score of the patient's
 * latest inputs, and the vital's alarm limits. The patient is Mr Smith of NHS Digital's FHIR-NEWS2
 * worked example (NEWS2 6, as News2CalculatorTest checks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class News2Benchmark {

  private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

  private final News2Calculator calculator =
      new News2Calculator(
          new AnalyticsProperties(
              Duration.ofMinutes(60), Duration.ofHours(12), Duration.ofSeconds(30)));
  private final PatientVitals vitals = new PatientVitals();

  /**
   * Mr Smith's limited vitals, then the same vitals gone bad, alternately: every other evaluation
   * takes each vital across its limits and back, so the state change is measured too.
   */
  private List<List<VitalReading>> rounds;

  private int round;

  @Setup
  public void admitMrSmith() {
    long id = 1;
    List<VitalReading> mrSmith =
        List.of(
            device(id++, MeasurementCatalog.RESPIRATORY_RATE, 21),
            device(id++, MeasurementCatalog.OXYGEN_SATURATION, 93),
            new VitalReading(id++, MeasurementCatalog.INHALED_OXYGEN_FLOW, 0, T, true),
            device(id++, MeasurementCatalog.SYSTOLIC_BP, 120),
            device(id++, MeasurementCatalog.HEART_RATE, 95),
            new VitalReading(
                id++,
                MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS,
                Consciousness.ALERT.ordinal(),
                T,
                true),
            device(id++, MeasurementCatalog.BODY_TEMPERATURE, 38.5));
    mrSmith.forEach(r -> vitals.update(r, T));
    List<VitalReading> deteriorating =
        List.of(
            device(id++, MeasurementCatalog.RESPIRATORY_RATE, 27),
            device(id++, MeasurementCatalog.OXYGEN_SATURATION, 88),
            device(id++, MeasurementCatalog.SYSTOLIC_BP, 85),
            device(id++, MeasurementCatalog.HEART_RATE, 131),
            device(id++, MeasurementCatalog.BODY_TEMPERATURE, 39.1));
    rounds = List.of(limited(mrSmith), limited(deteriorating));
  }

  private static VitalReading device(long id, String code, double value) {
    return new VitalReading(id, code, value, T, false);
  }

  private static List<VitalReading> limited(List<VitalReading> readings) {
    return readings.stream().filter(r -> AlarmLimits.DEFAULTS.containsKey(r.code())).toList();
  }

  @Benchmark
  public News2Score score() {
    return calculator.score("smith", vitals, SpO2Scale.SCALE_1, T);
  }

  /** Vigil's default limits, as News2Monitor checks a reading; says how many vitals crossed. */
  @Benchmark
  public int evaluateLimits() {
    int crossings = 0;
    for (VitalReading reading : rounds.get(round++ & 1)) {
      Optional<AlarmLimit.Breach> breach =
          AlarmLimits.DEFAULTS.get(reading.code()).breachOf(reading.value());
      if (vitals.breach(reading.code(), breach)) {
        crossings++;
      }
    }
    return crossings;
  }
}
