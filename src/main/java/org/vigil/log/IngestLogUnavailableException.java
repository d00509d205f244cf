package org.vigil.log;

/**
 * The log could not make readings durable: it is full, shutting down, or its durable store failed.
 * Retriable: the readings were not acknowledged, so the sender still has them and should retry.
 */
public final class IngestLogUnavailableException extends RuntimeException {

  public IngestLogUnavailableException(String message) {
    super(message);
  }

  public IngestLogUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
