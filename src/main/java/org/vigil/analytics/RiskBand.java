package org.vigil.analytics;

/**
 * NEWS2's clinical risk, from RCP 2017 Chart 4, checked in this order: a total of 7 or more is
 * high, 5–6 medium, otherwise a 3 in any single parameter low–medium, otherwise low.
 */
public enum RiskBand {
  LOW("Low clinical risk", "Ward-based response"),
  LOW_MEDIUM("Low-medium clinical risk", "Urgent ward-based response"),
  MEDIUM("Medium clinical risk", "Key threshold for urgent response"),
  HIGH("High clinical risk", "Urgent or emergency response");

  private final String display;
  private final String response;

  RiskBand(String display, String response) {
    this.display = display;
    this.response = response;
  }

  public String display() {
    return display;
  }

  /** The response RCP Chart 4 calls for, in its wording. */
  public String response() {
    return response;
  }

  public static RiskBand of(int total, boolean anySingleThree) {
    if (total >= 7) {
      return HIGH;
    }
    if (total >= 5) {
      return MEDIUM;
    }
    return anySingleThree ? LOW_MEDIUM : LOW;
  }
}
