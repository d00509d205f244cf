package org.vigil.analytics;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.vigil.analytics.News2Score.Absence;
import org.vigil.analytics.News2Score.SubScore;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.MeasurementCatalog;

/**
 * Scores a patient's latest inputs on the NEWS2 chart. Each parameter takes the newest reading of
 * its codes that is within its freshness window at the patient's clock; a parameter without one is
 * absent (missing or stale), never scored as normal.
 */
final class News2Calculator {

  /** Every code NEWS2 reads; other readings do not change a score. */
  static final Set<String> INPUT_CODES =
      Set.of(
          MeasurementCatalog.RESPIRATORY_RATE,
          MeasurementCatalog.OXYGEN_SATURATION,
          MeasurementCatalog.OXYGEN_SATURATION_ARTERIAL,
          MeasurementCatalog.INHALED_OXYGEN_FLOW,
          MeasurementCatalog.INHALED_OXYGEN_CONCENTRATION,
          MeasurementCatalog.SYSTOLIC_BP,
          MeasurementCatalog.HEART_RATE,
          MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS,
          MeasurementCatalog.BODY_TEMPERATURE);

  /** Room air is 21 % oxygen; more is supplemental. */
  private static final double ROOM_AIR_PERCENT = 21;

  private final AnalyticsProperties settings;

  News2Calculator(AnalyticsProperties settings) {
    this.settings = settings;
  }

  News2Score score(String patientId, PatientVitals vitals, SpO2Scale scale, Instant now) {
    Instant clock = vitals.clock(now);
    Map<News2Parameter, SubScore> scored = new EnumMap<>(News2Parameter.class);
    Map<News2Parameter, Absence> absent = new EnumMap<>(News2Parameter.class);

    Input oxygen =
        input(
            clock,
            vitals,
            MeasurementCatalog.INHALED_OXYGEN_FLOW,
            MeasurementCatalog.INHALED_OXYGEN_CONCENTRATION);
    Optional<Boolean> onOxygen = oxygen.current().map(News2Calculator::isSupplemental);
    record(
        News2Parameter.AIR_OR_OXYGEN,
        oxygen,
        r -> Optional.of(News2Chart.airOrOxygen(isSupplemental(r))),
        scored,
        absent);

    record(
        News2Parameter.RESPIRATION_RATE,
        input(clock, vitals, MeasurementCatalog.RESPIRATORY_RATE),
        r -> Optional.of(News2Chart.respirationRate(r.value())),
        scored,
        absent);
    record(
        News2Parameter.OXYGEN_SATURATION,
        input(
            clock,
            vitals,
            MeasurementCatalog.OXYGEN_SATURATION,
            MeasurementCatalog.OXYGEN_SATURATION_ARTERIAL),
        r -> oxygenSaturation(r.value(), scale, onOxygen),
        scored,
        absent);
    record(
        News2Parameter.SYSTOLIC_BLOOD_PRESSURE,
        input(clock, vitals, MeasurementCatalog.SYSTOLIC_BP),
        r -> Optional.of(News2Chart.systolicBloodPressure(r.value())),
        scored,
        absent);
    record(
        News2Parameter.PULSE,
        input(clock, vitals, MeasurementCatalog.HEART_RATE),
        r -> Optional.of(News2Chart.pulse(r.value())),
        scored,
        absent);
    record(
        News2Parameter.CONSCIOUSNESS,
        input(clock, vitals, MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS),
        r -> Consciousness.ofValue(r.value()).map(News2Chart::consciousness),
        scored,
        absent);
    record(
        News2Parameter.TEMPERATURE,
        input(clock, vitals, MeasurementCatalog.BODY_TEMPERATURE),
        r -> Optional.of(News2Chart.temperature(r.value())),
        scored,
        absent);
    return new News2Score(0, patientId, clock, scale, scored, absent);
  }

  /**
   * Scale 2 scores 93 % and above only on oxygen: without knowing air or oxygen such a reading
   * cannot be scored (below 93 % it scores the same either way).
   */
  private static Optional<Integer> oxygenSaturation(
      double percent, SpO2Scale scale, Optional<Boolean> onOxygen) {
    if (scale == SpO2Scale.SCALE_2 && onOxygen.isEmpty()) {
      int onAir = News2Chart.oxygenSaturationScale2(percent, false);
      int onO2 = News2Chart.oxygenSaturationScale2(percent, true);
      return onAir == onO2 ? Optional.of(onAir) : Optional.empty();
    }
    return Optional.of(News2Chart.oxygenSaturation(percent, scale, onOxygen.orElse(false)));
  }

  private static boolean isSupplemental(VitalReading reading) {
    return reading.code().equals(MeasurementCatalog.INHALED_OXYGEN_FLOW)
        ? reading.value() > 0
        : reading.value() > ROOM_AIR_PERCENT;
  }

  /** The newest reading of the codes, and whether it is still current at the patient's clock. */
  private record Input(Optional<VitalReading> newest, boolean fresh) {
    Optional<VitalReading> current() {
      return fresh ? newest : Optional.empty();
    }
  }

  private Input input(Instant clock, PatientVitals vitals, String... codes) {
    Optional<VitalReading> newest =
        Stream.of(codes)
            .map(vitals::latest)
            .flatMap(Optional::stream)
            .max(Comparator.comparing(VitalReading::effectiveAt));
    boolean fresh =
        newest.map(r -> !r.effectiveAt().plus(settings.freshness(r)).isBefore(clock)).orElse(false);
    return new Input(newest, fresh);
  }

  private interface Points {
    Optional<Integer> of(VitalReading reading);
  }

  private static void record(
      News2Parameter parameter,
      Input input,
      Points points,
      Map<News2Parameter, SubScore> scored,
      Map<News2Parameter, Absence> absent) {
    if (input.newest().isEmpty()) {
      absent.put(parameter, Absence.missing());
      return;
    }
    VitalReading reading = input.newest().get();
    if (!input.fresh()) {
      absent.put(parameter, Absence.stale(reading.observationId()));
      return;
    }
    Optional<Integer> given = points.of(reading);
    if (given.isPresent()) {
      scored.put(parameter, new SubScore(given.get(), reading.observationId()));
    } else {
      absent.put(parameter, Absence.missing());
    }
  }
}
