package org.vigil.ingest.mqtt;

/**
 * What became of a device's MQTT message, independent of the broker: the embedded broker turns it
 * into a PUBACK reason code (MQTT 5) or a PUBACK/disconnect (MQTT 3.1.1), the external-broker
 * client into an acknowledgement or a retry.
 *
 * @param kind the outcome
 * @param reason a short explanation for the device (MQTT 5 reason string); no patient data
 */
record MqttOutcome(Kind kind, String reason) {

  enum Kind {
    /** Durable (or, for QoS 0, handed on). */
    ACCEPTED,
    /** Unreadable or without a patient: kept as a dead letter, so the message is consumed. */
    DEAD_LETTERED,
    /** A topic under the device's tree that Vigil does not read. */
    UNKNOWN_TOPIC,
    /** Too many messages from this device: not kept; send it again later. */
    RATE_LIMITED,
    /** Storage could not take it now: not kept; send it again later. */
    UNAVAILABLE;

    /** Whether the device should send the message again (it was not kept anywhere). */
    boolean retry() {
      return this == RATE_LIMITED || this == UNAVAILABLE;
    }
  }

  static MqttOutcome accepted() {
    return new MqttOutcome(Kind.ACCEPTED, "");
  }
}
