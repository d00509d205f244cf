package org.vigil.alarm;

/**
 * Alarm priorities as IEC 60601-1-8 defines them: high needs an immediate response, medium a prompt
 * one, low awareness.
 */
public enum AlarmPriority {
  LOW,
  MEDIUM,
  HIGH;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
