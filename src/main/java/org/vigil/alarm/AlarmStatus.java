package org.vigil.alarm;

/** Where an alarm is in its life: raised and sounding, acknowledged by someone, or over. */
public enum AlarmStatus {
  ACTIVE,
  ACKNOWLEDGED,
  RESOLVED;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public boolean open() {
    return this != RESOLVED;
  }
}
