package org.vigil.analytics;

/**
 * The seven parameters of NEWS2 (Royal College of Physicians, 2017), each with the SNOMED CT code
 * (UK edition) NHS Digital's FHIR-NEWS2 specification gives its sub-score.
 */
public enum News2Parameter {
  RESPIRATION_RATE("1104301000000104", "NEWS2 respiration rate score"),
  OXYGEN_SATURATION("1104311000000102", "NEWS2 oxygen saturation scale 1 score"),
  AIR_OR_OXYGEN("1104331000000105", "NEWS2 air or oxygen score"),
  SYSTOLIC_BLOOD_PRESSURE("1104341000000101", "NEWS2 systolic blood pressure score"),
  PULSE("1104351000000103", "NEWS2 pulse score"),
  CONSCIOUSNESS("1104361000000100", "NEWS2 consciousness score"),
  TEMPERATURE("1104371000000107", "NEWS2 temperature score");

  /** The sub-score code of oxygen saturation when scale 2 is in use. */
  public static final String OXYGEN_SATURATION_SCALE_2_CODE = "1104321000000108";

  private final String snomedCode;
  private final String display;

  News2Parameter(String snomedCode, String display) {
    this.snomedCode = snomedCode;
    this.display = display;
  }

  /** The SNOMED CT code of this parameter's sub-score (scale 1's for oxygen saturation). */
  public String snomedCode() {
    return snomedCode;
  }

  public String display() {
    return display;
  }

  /** The sub-score's code for the scale in use: SpO2 has one per scale. */
  public String snomedCode(SpO2Scale scale) {
    return this == OXYGEN_SATURATION && scale == SpO2Scale.SCALE_2
        ? OXYGEN_SATURATION_SCALE_2_CODE
        : snomedCode;
  }

  /** What a nurse calls it, for messages that say which input is missing. */
  public String label() {
    return switch (this) {
      case RESPIRATION_RATE -> "respiration rate";
      case OXYGEN_SATURATION -> "SpO2";
      case AIR_OR_OXYGEN -> "air or oxygen";
      case SYSTOLIC_BLOOD_PRESSURE -> "systolic blood pressure";
      case PULSE -> "pulse";
      case CONSCIOUSNESS -> "consciousness (ACVPU)";
      case TEMPERATURE -> "temperature";
    };
  }
}
