package org.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class PhysiologyTest {

  private static final Instant MIDNIGHT = Instant.parse("2026-11-24T00:00:00Z");

  private static Scenario.Episode episode(EpisodeKind kind, String onset, String duration) {
    return new Scenario.Episode(
        null, kind, "p1", Duration.parse(onset), Duration.parse(duration), Duration.ZERO, null);
  }

  private static Physiology patient(long seed, List<Scenario.Episode> episodes) {
    return new Physiology(
        Map.of("heartRate", 70.0, "systolic", 125.0), seed, episodes, MIDNIGHT, ZoneOffset.UTC);
  }

  /** The vital every {@code step} from {@code from} for {@code span}. */
  private static double[] series(Physiology p, Vital v, String from, String span, int stepSeconds) {
    List<Double> values = new ArrayList<>();
    Instant end = MIDNIGHT.plus(Duration.parse(from)).plus(Duration.parse(span));
    for (Instant t = MIDNIGHT.plus(Duration.parse(from));
        t.isBefore(end);
        t = t.plusSeconds(stepSeconds)) {
      values.add(p.sample(v, t));
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double mean(double[] values) {
    return DoubleStream.of(values).average().orElseThrow();
  }

  @Test
  void theSameSeedGivesTheSameReadingsAndAnotherSeedOthers() {
    double[] a = series(patient(1, List.of()), Vital.HEART_RATE, "PT0S", "PT1H", 1);
    double[] b = series(patient(1, List.of()), Vital.HEART_RATE, "PT0S", "PT1H", 1);
    double[] c = series(patient(2, List.of()), Vital.HEART_RATE, "PT0S", "PT1H", 1);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void howOftenOneVitalIsSampledNeverChangesAnother() {
    Physiology often = patient(3, List.of());
    Physiology rarely = patient(3, List.of());
    List<Double> spo2Often = new ArrayList<>();
    List<Double> spo2Rarely = new ArrayList<>();
    for (int s = 0; s < 600; s++) {
      Instant t = MIDNIGHT.plusSeconds(s);
      often.sample(Vital.HEART_RATE, t);
      spo2Often.add(often.sample(Vital.OXYGEN_SATURATION, t));
      spo2Rarely.add(rarely.sample(Vital.OXYGEN_SATURATION, t));
    }
    assertThat(spo2Often).isEqualTo(spo2Rarely);
  }

  @Test
  void aWellPatientStaysNearRestingAndWithinPhysiologicalRanges() {
    Physiology p = patient(4, List.of());
    double[] hr = series(p, Vital.HEART_RATE, "PT0S", "PT24H", 10);
    assertThat(mean(hr)).isCloseTo(70, within(3.0));
    assertThat(DoubleStream.of(hr).min().orElseThrow()).isGreaterThan(50);
    assertThat(DoubleStream.of(hr).max().orElseThrow()).isLessThan(90);
    double[] spo2 = series(p, Vital.OXYGEN_SATURATION, "PT0S", "PT24H", 10);
    assertThat(DoubleStream.of(spo2).min().orElseThrow()).isGreaterThanOrEqualTo(90);
    assertThat(DoubleStream.of(spo2).max().orElseThrow()).isLessThanOrEqualTo(100);
    double[] sys = series(p, Vital.SYSTOLIC, "PT0S", "PT24H", 900);
    double[] dia = series(p, Vital.DIASTOLIC, "PT0S", "PT24H", 900);
    for (int i = 0; i < sys.length; i++) {
      assertThat(dia[i]).isLessThan(sys[i] - 10);
    }
    double[] temp = series(p, Vital.TEMPERATURE, "PT0S", "PT24H", 60);
    assertThat(DoubleStream.of(temp).min().orElseThrow()).isGreaterThan(35.5);
    assertThat(DoubleStream.of(temp).max().orElseThrow()).isLessThan(38.0);
  }

  @Test
  void theHeartIsSlowerInTheSmallHoursThanInTheAfternoon() {
    Physiology p = patient(5, List.of());
    double night = mean(series(p, Vital.HEART_RATE, "PT3H", "PT2H", 5));
    double afternoon = mean(series(p, Vital.HEART_RATE, "PT15H", "PT2H", 5));
    assertThat(afternoon - night).isBetween(5.0, 15.0);
  }

  @Test
  void sepsisMovesHeartRateBreathingPressureAndTemperatureTogether() {
    Physiology well = patient(6, List.of());
    Physiology septic = patient(6, List.of(episode(EpisodeKind.SEPSIS, "PT6H", "PT4H")));
    for (Vital v :
        List.of(Vital.HEART_RATE, Vital.RESPIRATORY_RATE, Vital.SYSTOLIC, Vital.TEMPERATURE)) {
      // Before the onset the septic patient is exactly the well one.
      assertThat(series(septic, v, "PT0S", "PT6H", 60))
          .isEqualTo(series(well, v, "PT0S", "PT6H", 60));
    }
    Physiology before = patient(6, List.of());
    Physiology during = patient(6, List.of(episode(EpisodeKind.SEPSIS, "PT0S", "PT4H")));
    assertThat(
            mean(series(during, Vital.HEART_RATE, "PT1H", "PT1H", 5))
                - mean(series(before, Vital.HEART_RATE, "PT1H", "PT1H", 5)))
        .isCloseTo(35, within(3.0));
    assertThat(
            mean(series(during, Vital.RESPIRATORY_RATE, "PT1H", "PT1H", 5))
                - mean(series(before, Vital.RESPIRATORY_RATE, "PT1H", "PT1H", 5)))
        .isCloseTo(10, within(1.5));
    assertThat(
            mean(series(during, Vital.SYSTOLIC, "PT1H", "PT1H", 60))
                - mean(series(before, Vital.SYSTOLIC, "PT1H", "PT1H", 60)))
        .isCloseTo(-35, within(4.0));
    assertThat(
            mean(series(during, Vital.TEMPERATURE, "PT1H", "PT1H", 60))
                - mean(series(before, Vital.TEMPERATURE, "PT1H", "PT1H", 60)))
        .isCloseTo(2.0, within(0.2));
  }

  @Test
  void eachEpisodeChangesWhatItShould() {
    Physiology resp = patient(7, List.of(episode(EpisodeKind.RESPIRATORY_FAILURE, "PT0S", "PT2H")));
    assertThat(mean(series(resp, Vital.OXYGEN_SATURATION, "PT30M", "PT1H", 5)))
        .isBetween(78.0, 88.0);
    Physiology brady = patient(8, List.of(episode(EpisodeKind.BRADYCARDIA, "PT0S", "PT2H")));
    assertThat(mean(series(brady, Vital.HEART_RATE, "PT30M", "PT1H", 5))).isBetween(33.0, 45.0);
    Physiology tachy = patient(9, List.of(episode(EpisodeKind.TACHYCARDIA, "PT0S", "PT2H")));
    assertThat(mean(series(tachy, Vital.HEART_RATE, "PT30M", "PT1H", 5))).isBetween(140.0, 160.0);
    Physiology hypo = patient(10, List.of(episode(EpisodeKind.HYPOGLYCAEMIA, "PT0S", "PT2H")));
    assertThat(mean(series(hypo, Vital.GLUCOSE, "PT30M", "PT1H", 300))).isBetween(35.0, 55.0);
    Physiology low = patient(11, List.of(episode(EpisodeKind.HYPOTENSION, "PT0S", "PT2H")));
    assertThat(mean(series(low, Vital.SYSTOLIC, "PT30M", "PT1H", 300))).isBetween(70.0, 90.0);
    Physiology crisis =
        patient(12, List.of(episode(EpisodeKind.HYPERTENSIVE_CRISIS, "PT0S", "PT2H")));
    assertThat(mean(series(crisis, Vital.SYSTOLIC, "PT30M", "PT1H", 300))).isBetween(185.0, 205.0);
    assertThat(mean(series(crisis, Vital.DIASTOLIC, "PT30M", "PT1H", 300))).isBetween(118.0, 130.0);
    Physiology well = patient(13, List.of());
    Physiology fluid = patient(13, List.of(episode(EpisodeKind.FLUID_RETENTION, "PT0S", "P3D")));
    // the same patient (seed) with and without: the episode adds its 3.5 kg and nothing else
    assertThat(
            mean(series(fluid, Vital.WEIGHT, "P1D", "P1D", 3600))
                - mean(series(well, Vital.WEIGHT, "P1D", "P1D", 3600)))
        .isBetween(3.3, 3.7);
  }
}
