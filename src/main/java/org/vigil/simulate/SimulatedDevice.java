package org.vigil.simulate;

import java.util.Objects;

/**
 * A device the simulator plays: its id and token on the target Vigil, the patient it is attached to
 * (the seed of that patient's physiology) and what kind of device it is.
 */
public record SimulatedDevice(String deviceId, String token, String patientId, DeviceKind kind) {

  public SimulatedDevice {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(kind, "kind");
  }

  @Override
  public String toString() {
    return "SimulatedDevice[" + deviceId + ", " + kind + "]";
  }
}
