package org.vigil.medication;

/** What became of one scheduled dose. */
public enum DoseOutcome {
  /** Taken within the tolerance window around its time (boundaries included). */
  ON_TIME,
  /** Taken after the tolerance window, before the late limit or the next dose's window. */
  LATE,
  /**
   * Not taken by the end of its late window, or reported not taken (skipped, or missed by the
   * dispenser).
   */
  MISSED,
  /** Its window has opened and nothing says it was taken yet; it may still be on time or late. */
  DUE,
  /** Not yet due. */
  UPCOMING;

  /** Whether the outcome is final, and so counts towards adherence. */
  public boolean decided() {
    return this == ON_TIME || this == LATE || this == MISSED;
  }

  public boolean taken() {
    return this == ON_TIME || this == LATE;
  }

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
