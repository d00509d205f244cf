package org.vigil.normalize;

/**
 * One thing wrong with a device message, precise enough for an integration engineer to fix it.
 *
 * @param location where in the message: a path such as {@code measurements[1].value}, or {@code $}
 *     for the message as a whole
 * @param message what is wrong and, where possible, what would be accepted
 */
public record MessageProblem(String location, String message) {

  public static final String WHOLE_MESSAGE = "$";

  public static MessageProblem ofMessage(String message) {
    return new MessageProblem(WHOLE_MESSAGE, message);
  }

  /** As a sentence: {@code measurements[0].value is required}. */
  public String describe() {
    return location.equals(WHOLE_MESSAGE) ? message : location + " " + message;
  }
}
