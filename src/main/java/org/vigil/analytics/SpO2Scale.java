package org.vigil.analytics;

/**
 * Which NEWS2 oxygen saturation scale a patient is scored on. Scale 2 is only for patients with a
 * prescribed target of 88–92 % (hypercapnic respiratory failure), set by a clinician; everyone else
 * is on scale 1.
 */
public enum SpO2Scale {
  SCALE_1,
  SCALE_2;

  public int number() {
    return ordinal() + 1;
  }

  public static SpO2Scale ofNumber(int number) {
    return switch (number) {
      case 1 -> SCALE_1;
      case 2 -> SCALE_2;
      default ->
          throw new IllegalArgumentException("the NEWS2 SpO2 scale is 1 or 2, not " + number);
    };
  }
}
