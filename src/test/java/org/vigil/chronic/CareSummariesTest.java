package org.vigil.chronic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The patient's sentences: against their own targets, and never "fine" on too few readings. */
class CareSummariesTest {

  private static final CareTargets TARGETS = CareTargets.defaults(Set.of());

  private static HomeBloodPressure week(int days, int readings, double sys, double dia) {
    return new HomeBloodPressure(
        days, readings, sys, dia, readings / 2, sys + 6, dia + 3, Optional.of(LocalDate.now()));
  }

  @Test
  void bloodPressureAboveAndBelowTheTarget() {
    CareSummaries.Summary above = CareSummaries.bloodPressure(week(6, 24, 137, 85), TARGETS);
    assertThat(above.status()).isEqualTo("above-target");
    assertThat(above.text())
        .isEqualTo(
            "Your average blood pressure at home this week was 137/85 (mornings 143/88), above"
                + " your target of 135/85.");
    CareSummaries.Summary below = CareSummaries.bloodPressure(week(6, 24, 128, 80), TARGETS);
    assertThat(below.status()).isEqualTo("at-target");
    assertThat(below.text()).contains("below your target of 135/85");
  }

  @Test
  void tooFewBloodPressureReadingsSaySoAndNoAverage() {
    CareSummaries.Summary few = CareSummaries.bloodPressure(week(2, 8, 120, 70), TARGETS);
    assertThat(few.status()).isEqualTo("insufficient");
    assertThat(few.text())
        .contains("not yet enough")
        .doesNotContain("120/70")
        .doesNotContain("below your target");
  }

  @Test
  void insufficientGlucoseIsNeverCalledInRange() {
    Instant to = Instant.parse("2026-12-03T00:00:00Z");
    Instant from = to.minus(TimeInRange.PERIOD);
    TimeInRange thin =
        TimeInRange.of(
            List.of(new GlucoseSample(from.plusSeconds(60), 110)),
            from,
            to,
            java.time.Duration.ofMinutes(5));
    CarePlan plan =
        new CarePlan(
            1,
            "p",
            true,
            Set.of(CareProgram.DIABETES),
            java.time.ZoneOffset.UTC,
            TARGETS,
            Optional.empty(),
            1,
            to,
            "dr",
            to);
    CareMetrics.Snapshot snapshot =
        new CareMetrics.Snapshot(
            to,
            plan,
            thin,
            100.0,
            week(0, 0, Double.NaN, Double.NaN),
            new CareMetrics.Weight(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
            new CareMetrics.Oxygen(0, Double.NaN, Double.NaN, List.of()));
    CareSummaries.Summary glucose = CareSummaries.glucose(snapshot, TARGETS);
    assertThat(glucose.status()).isEqualTo("insufficient");
    assertThat(glucose.text()).contains("too few to say").doesNotContain("in your target range");
  }

  @Test
  void aWeightGainOverTheRuleTellsThePatientToCall() {
    WeightGain.Assessment a =
        new WeightGain.Assessment(
            LocalDate.of(2026, 12, 5), 82.5, 80.4, LocalDate.of(2026, 12, 2), 2.1, true);
    CareSummaries.Summary s =
        CareSummaries.weight(
            new CareMetrics.Weight(
                Optional.of(82.5),
                Optional.of(LocalDate.of(2026, 12, 5)),
                Optional.of(80.0),
                Optional.of(a)),
            TARGETS);
    assertThat(s.status()).isEqualTo("alert");
    assertThat(s.text())
        .isEqualTo(
            "Your weight on 5 December was 82.5 kg, up 2.1 kg since 2 December. A gain of more"
                + " than 2.0 kg in 3 days can mean fluid is building up: please call your care"
                + " team today.");
  }
}
