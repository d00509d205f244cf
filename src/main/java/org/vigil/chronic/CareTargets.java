package org.vigil.chronic;

import java.time.Duration;
import java.util.Optional;

/**
 * A patient's personal targets. Defaults, where the clinician sets none: home blood pressure below
 * 135/85 mmHg (the ESH threshold for home readings, Stergiou 2021); glucose 70–180 mg/dL with more
 * than 70 % of readings in it (Battelino 2019; 50 % for older or high-risk patients is the
 * clinician's to set); a CGM reading every 5 minutes; a weight gain of more than 2 kg over 3 days
 * (ESC 2021); SpO2 94–98 %, or 88–92 % in COPD (BTS oxygen guideline, O'Driscoll 2017; NEWS2 SpO2
 * scale 2).
 *
 * @param bpSystolicBelow home systolic target, mmHg: the average should be below it
 * @param bpDiastolicBelow home diastolic target, mmHg
 * @param glucoseLow the glucose range's low end, mg/dL: also the patient's low glucose alarm limit
 * @param glucoseHigh the glucose range's high end, mg/dL
 * @param tirGoalPercent the time in range to reach, percent
 * @param cgmInterval the CGM's reading interval (sets the readings expected)
 * @param targetWeightKg the weight to reach or keep, if any
 * @param weightGain the heart-failure weight rule
 * @param spo2Low the SpO2 range's low end, percent: also the patient's SpO2 alarm limit
 * @param spo2High the SpO2 range's high end, percent
 */
public record CareTargets(
    double bpSystolicBelow,
    double bpDiastolicBelow,
    double glucoseLow,
    double glucoseHigh,
    double tirGoalPercent,
    Duration cgmInterval,
    Optional<Double> targetWeightKg,
    WeightGain weightGain,
    double spo2Low,
    double spo2High) {

  public CareTargets {
    between("bpSystolicBelow", bpSystolicBelow, 90, 200);
    between("bpDiastolicBelow", bpDiastolicBelow, 50, 130);
    between("glucoseLow", glucoseLow, 50, 150);
    between("glucoseHigh", glucoseHigh, 100, 400);
    if (glucoseLow >= glucoseHigh) {
      throw new IllegalArgumentException("glucoseLow must be below glucoseHigh");
    }
    between("tirGoalPercent", tirGoalPercent, 1, 100);
    if (cgmInterval.toMinutes() < 1 || cgmInterval.toMinutes() > 60) {
      throw new IllegalArgumentException("cgmIntervalMinutes must be 1–60");
    }
    targetWeightKg.ifPresent(kg -> between("targetWeightKg", kg, 2, 400));
    between("spo2Low", spo2Low, 70, 100);
    between("spo2High", spo2High, 70, 100);
    if (spo2Low >= spo2High) {
      throw new IllegalArgumentException("spo2Low must be below spo2High");
    }
  }

  private static void between(String name, double value, double low, double high) {
    if (!Double.isFinite(value) || value < low || value > high) {
      throw new IllegalArgumentException(name + " must be " + low + "–" + high + ", was " + value);
    }
  }

  /** The defaults for a patient in the programs (COPD sets the SpO2 range to 88–92 %). */
  public static CareTargets defaults(java.util.Set<CareProgram> programs) {
    boolean copd = programs.contains(CareProgram.COPD);
    return new CareTargets(
        135,
        85,
        70,
        180,
        70,
        Duration.ofMinutes(5),
        Optional.empty(),
        WeightGain.DEFAULT,
        copd ? 88 : 94,
        copd ? 92 : 98);
  }
}
