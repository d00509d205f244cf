package org.vigil.analytics;

/**
 * The sustained changes Vigil watches for: a vital moving away from the patient's own baseline in
 * the direction that matters clinically, and a rising NEWS2. Heuristics, not alarm limits.
 */
public enum TrendKind {
  HEART_RATE_RISING("trend-heart-rate-rising", "heart rate rising", "/min"),
  HEART_RATE_FALLING("trend-heart-rate-falling", "heart rate falling", "/min"),
  RESPIRATORY_RATE_RISING("trend-respiratory-rate-rising", "respiration rate rising", "/min"),
  SPO2_FALLING("trend-spo2-falling", "SpO2 falling", "%"),
  NEWS2_RISING("trend-news2-rising", "NEWS2 rising", "");

  private final String condition;
  private final String label;
  private final String unit;

  TrendKind(String condition, String label, String unit) {
    this.condition = condition;
    this.label = label;
    this.unit = unit;
  }

  /** The alarm condition code, e.g. {@code trend-heart-rate-rising}. */
  public String condition() {
    return condition;
  }

  /** What it is, in words: "heart rate rising". */
  public String label() {
    return label;
  }

  /** The unit of its level and baseline, as people write it. */
  public String unit() {
    return unit;
  }
}
