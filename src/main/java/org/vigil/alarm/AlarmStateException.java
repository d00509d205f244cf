package org.vigil.alarm;

/** The alarm is not in a state that allows the action, e.g. acknowledging a resolved alarm. */
public class AlarmStateException extends RuntimeException {
  public AlarmStateException(String message) {
    super(message);
  }
}
