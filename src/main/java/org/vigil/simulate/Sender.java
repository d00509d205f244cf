package org.vigil.simulate;

/**
 * Delivers one device's messages over one protocol, blocking until Vigil answers (callers run on
 * virtual threads). Retries what the protocol says to retry (busy, rate limited) a few times, as a
 * device would; reports everything else as it came.
 */
interface Sender extends AutoCloseable {

  Delivery deliver(PlayedDevice device, byte[] payload, int readings);

  /** A device event ({@code devices/{id}/events}): a dispenser's dose. */
  Delivery deliverEvent(PlayedDevice device, byte[] payload);

  /** The device goes off the network; its next delivery connects again. */
  void disconnect(PlayedDevice device);

  @Override
  void close();

  /** How one message fared. */
  record Delivery(Outcome outcome, int readings, String reason, int retries) {
    static Delivery accepted(int readings, int retries) {
      return new Delivery(Outcome.ACCEPTED, readings, "", retries);
    }

    static Delivery refused(String reason, int retries) {
      return new Delivery(Outcome.REFUSED, 0, reason, retries);
    }

    static Delivery failed(String reason, int retries) {
      return new Delivery(Outcome.FAILED, 0, reason, retries);
    }
  }

  enum Outcome {
    /** Vigil said the readings are durable (HTTP 202, PUBACK success). */
    ACCEPTED,
    /** Vigil answered no (HTTP 4xx, an MQTT error reason code). */
    REFUSED,
    /** No answer: the connection failed or timed out. */
    FAILED
  }
}
