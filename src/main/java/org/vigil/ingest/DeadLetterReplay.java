package org.vigil.ingest;

/**
 * Replays dead letters of a kind the generic replay does not read — an extension point for
 * transports with their own message formats (HL7 v2 over MLLP).
 */
public interface DeadLetterReplay {

  /** Whether this replays dead letters of the content kind ({@code hl7v2}). */
  boolean replays(String content);

  /**
   * Runs the message through its transport's processing again.
   *
   * @return whether its readings are now stored, and what happened, in words
   */
  Outcome replay(DeadLetter letter, byte[] payload);

  /** What a replay did. */
  record Outcome(boolean stored, int readings, String description) {}
}
