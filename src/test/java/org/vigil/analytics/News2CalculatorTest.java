package org.vigil.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.vigil.analytics.News2Score.Absence;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.MeasurementCatalog;

class News2CalculatorTest {

  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  private final AnalyticsProperties settings =
      new AnalyticsProperties(Duration.ofMinutes(60), Duration.ofHours(12), Duration.ofSeconds(30));
  private final News2Calculator calculator = new News2Calculator(settings);
  private long ids = 1;

  private void device(PatientVitals vitals, String code, double value, Instant at) {
    vitals.update(new VitalReading(ids++, code, value, at, false), at);
  }

  private void manual(PatientVitals vitals, String code, double value, Instant at) {
    vitals.update(new VitalReading(ids++, code, value, at, true), at);
  }

  /** Mr Smith, NHS Digital's FHIR-NEWS2 worked example: NEWS2 6, medium risk. */
  private PatientVitals mrSmith() {
    PatientVitals vitals = new PatientVitals();
    device(vitals, MeasurementCatalog.RESPIRATORY_RATE, 21, T);
    device(vitals, MeasurementCatalog.OXYGEN_SATURATION, 93, T);
    manual(vitals, MeasurementCatalog.INHALED_OXYGEN_FLOW, 0, T);
    device(vitals, MeasurementCatalog.SYSTOLIC_BP, 120, T);
    device(vitals, MeasurementCatalog.HEART_RATE, 95, T);
    manual(vitals, MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS, Consciousness.ALERT.ordinal(), T);
    device(vitals, MeasurementCatalog.BODY_TEMPERATURE, 38.5, T);
    return vitals;
  }

  @Test
  void scoresThePublishedWorkedExample() {
    News2Score score = calculator.score("smith", mrSmith(), SpO2Scale.SCALE_1, T);

    assertThat(score.complete()).isTrue();
    assertThat(score.total()).isEqualTo(6);
    assertThat(score.band()).isEqualTo(RiskBand.MEDIUM);
    assertThat(score.scored().get(News2Parameter.RESPIRATION_RATE).points()).isEqualTo(2);
    assertThat(score.scored().get(News2Parameter.OXYGEN_SATURATION).points()).isEqualTo(2);
    assertThat(score.scored().get(News2Parameter.AIR_OR_OXYGEN).points()).isZero();
    assertThat(score.scored().get(News2Parameter.SYSTOLIC_BLOOD_PRESSURE).points()).isZero();
    assertThat(score.scored().get(News2Parameter.PULSE).points()).isEqualTo(1);
    assertThat(score.scored().get(News2Parameter.CONSCIOUSNESS).points()).isZero();
    assertThat(score.scored().get(News2Parameter.TEMPERATURE).points()).isEqualTo(1);
  }

  @Test
  void aMissingInputMakesTheScoreIncompleteInsteadOfNormal() {
    PatientVitals vitals = new PatientVitals();
    device(vitals, MeasurementCatalog.HEART_RATE, 135, T);

    News2Score score = calculator.score("p", vitals, SpO2Scale.SCALE_1, T);

    assertThat(score.complete()).isFalse();
    assertThat(score.scored()).containsOnlyKeys(News2Parameter.PULSE);
    assertThat(score.absent()).hasSize(6);
    assertThat(score.absent().get(News2Parameter.CONSCIOUSNESS).reason())
        .isEqualTo(Absence.Reason.MISSING);
    assertThat(score.total()).isEqualTo(3);
    assertThat(score.band()).isEqualTo(RiskBand.LOW_MEDIUM);
  }

  @Test
  void aDeviceReadingGoesStaleAfterAnHourAndAManualEntryAfterTwelve() {
    PatientVitals vitals = mrSmith();
    // A heart rate an hour and a second later moves the patient's clock on.
    device(
        vitals, MeasurementCatalog.HEART_RATE, 95, T.plus(Duration.ofMinutes(60)).plusSeconds(1));

    News2Score score = calculator.score("smith", vitals, SpO2Scale.SCALE_1, T);

    assertThat(score.absent())
        .containsOnlyKeys(
            News2Parameter.RESPIRATION_RATE,
            News2Parameter.OXYGEN_SATURATION,
            News2Parameter.SYSTOLIC_BLOOD_PRESSURE,
            News2Parameter.TEMPERATURE);
    assertThat(score.absent().get(News2Parameter.TEMPERATURE).reason())
        .isEqualTo(Absence.Reason.STALE);
    assertThat(score.absent().get(News2Parameter.TEMPERATURE).lastInputId()).contains(7L);
    assertThat(score.scored())
        .containsKeys(News2Parameter.CONSCIOUSNESS, News2Parameter.AIR_OR_OXYGEN);

    device(vitals, MeasurementCatalog.HEART_RATE, 95, T.plus(Duration.ofHours(12)).plusSeconds(1));
    assertThat(calculator.score("smith", vitals, SpO2Scale.SCALE_1, T).absent())
        .containsKeys(News2Parameter.CONSCIOUSNESS, News2Parameter.AIR_OR_OXYGEN);
  }

  @Test
  void thePatientsClockRunsOnWithWallTimeWhenReadingsStop() {
    PatientVitals vitals = mrSmith();

    assertThat(calculator.score("smith", vitals, SpO2Scale.SCALE_1, T.plusSeconds(3599)).complete())
        .isTrue();
    assertThat(
            calculator
                .score("smith", vitals, SpO2Scale.SCALE_1, T.plus(Duration.ofMinutes(61)))
                .absent())
        .containsKey(News2Parameter.PULSE);
  }

  @Test
  void supplementalOxygenAddsTwoAndChangesScaleTwo() {
    PatientVitals vitals = mrSmith();
    manual(vitals, MeasurementCatalog.INHALED_OXYGEN_FLOW, 2, T.plusSeconds(1));
    device(vitals, MeasurementCatalog.OXYGEN_SATURATION, 97, T.plusSeconds(1));

    News2Score scale1 = calculator.score("smith", vitals, SpO2Scale.SCALE_1, T);
    News2Score scale2 = calculator.score("smith", vitals, SpO2Scale.SCALE_2, T);

    assertThat(scale1.scored().get(News2Parameter.AIR_OR_OXYGEN).points()).isEqualTo(2);
    assertThat(scale1.scored().get(News2Parameter.OXYGEN_SATURATION).points()).isZero();
    assertThat(scale2.scored().get(News2Parameter.OXYGEN_SATURATION).points()).isEqualTo(3);
    assertThat(scale2.scale()).isEqualTo(SpO2Scale.SCALE_2);
  }

  @Test
  void anInspiredOxygenFractionAboveRoomAirCountsAsOxygen() {
    PatientVitals vitals = mrSmith();
    device(vitals, MeasurementCatalog.INHALED_OXYGEN_CONCENTRATION, 28, T.plusSeconds(1));

    News2Score score = calculator.score("smith", vitals, SpO2Scale.SCALE_1, T);

    assertThat(score.scored().get(News2Parameter.AIR_OR_OXYGEN).points()).isEqualTo(2);
    assertThat(score.total()).isEqualTo(8);
    assertThat(score.band()).isEqualTo(RiskBand.HIGH);
  }

  @Test
  void scaleTwoCannotScoreHighSaturationWithoutKnowingAirOrOxygen() {
    PatientVitals vitals = new PatientVitals();
    device(vitals, MeasurementCatalog.OXYGEN_SATURATION, 95, T);
    assertThat(calculator.score("p", vitals, SpO2Scale.SCALE_2, T).absent())
        .containsKey(News2Parameter.OXYGEN_SATURATION);

    device(vitals, MeasurementCatalog.OXYGEN_SATURATION, 85, T.plusSeconds(1));
    assertThat(
            calculator
                .score("p", vitals, SpO2Scale.SCALE_2, T)
                .scored()
                .get(News2Parameter.OXYGEN_SATURATION)
                .points())
        .isEqualTo(2);
  }

  @Test
  void anOlderReadingArrivingLateDoesNotReplaceANewerOne() {
    PatientVitals vitals = mrSmith();
    device(vitals, MeasurementCatalog.HEART_RATE, 140, T.minusSeconds(5));

    assertThat(
            calculator
                .score("smith", vitals, SpO2Scale.SCALE_1, T)
                .scored()
                .get(News2Parameter.PULSE)
                .inputId())
        .isEqualTo(5L);
  }

  @Test
  void theSameAssessmentIsRecognisedWhateverTheValues() {
    PatientVitals vitals = mrSmith();
    News2Score first = calculator.score("smith", vitals, SpO2Scale.SCALE_1, T);
    device(vitals, MeasurementCatalog.HEART_RATE, 97, T.plusSeconds(1));
    News2Score same = calculator.score("smith", vitals, SpO2Scale.SCALE_1, T);
    device(vitals, MeasurementCatalog.HEART_RATE, 112, T.plusSeconds(2));
    News2Score changed = calculator.score("smith", vitals, SpO2Scale.SCALE_1, T);

    assertThat(same.sameAssessmentAs(first)).isTrue();
    assertThat(changed.sameAssessmentAs(first)).isFalse();
  }
}
