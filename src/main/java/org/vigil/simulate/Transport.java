package org.vigil.simulate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a simulated device reaches Vigil: the real protocols only. */
public enum Transport {
  /** {@code POST /api/v1/ingest/{deviceId}} with the device's bearer token. */
  HTTP("http"),
  /** QoS 1 publishes to {@code devices/{deviceId}/messages}, the token as password. */
  MQTT("mqtt"),
  /** IHE PCD-01 {@code ORU^R01} over MLLP; the device in OBX-18, the patient in PID-3. */
  MLLP("mllp"),
  /**
   * Bluetooth GATT characteristic values as a phone or hub forwards them from a home device: QoS 1
   * publishes to {@code devices/{deviceId}/gatt/{uuid16}} on the MQTT listener.
   */
  GATT("gatt");

  private final String name;

  Transport(String name) {
    this.name = name;
  }

  @JsonValue
  public String label() {
    return name;
  }

  @JsonCreator
  public static Transport of(String name) {
    for (Transport transport : values()) {
      if (transport.name.equals(name)) {
        return transport;
      }
    }
    throw new IllegalArgumentException("no transport " + name + "; known: http, mqtt, mllp, gatt");
  }
}
