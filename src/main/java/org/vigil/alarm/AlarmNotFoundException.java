package org.vigil.alarm;

/** No alarm has that id. */
public class AlarmNotFoundException extends RuntimeException {
  public AlarmNotFoundException(long id) {
    super("no alarm " + id);
  }
}
