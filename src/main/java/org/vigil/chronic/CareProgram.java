package org.vigil.chronic;

import java.util.Arrays;
import java.util.Optional;

/**
 * The chronic-care programs a patient can be in, each with the SNOMED CT concept of the condition
 * it looks after (kept on the FHIR CarePlan's category beside Vigil's own code).
 */
public enum CareProgram {
  DIABETES("diabetes", "73211009", "Diabetes mellitus"),
  HYPERTENSION("hypertension", "38341003", "Hypertensive disorder"),
  HEART_FAILURE("heart-failure", "84114007", "Heart failure"),
  COPD("copd", "13645005", "Chronic obstructive lung disease");

  private final String code;
  private final String snomed;
  private final String display;

  CareProgram(String code, String snomed, String display) {
    this.code = code;
    this.snomed = snomed;
    this.display = display;
  }

  public String code() {
    return code;
  }

  public String snomed() {
    return snomed;
  }

  public String display() {
    return display;
  }

  public static Optional<CareProgram> ofCode(String code) {
    return Arrays.stream(values()).filter(p -> p.code.equals(code)).findFirst();
  }
}
