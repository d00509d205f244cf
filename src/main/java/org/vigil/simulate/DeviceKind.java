package org.vigil.simulate;

/** The kinds of device the simulator can play, named as a ward would name them. */
public enum DeviceKind {
  /** Heart rate, SpO2, respiratory rate and blood pressure. */
  BEDSIDE_MONITOR("bedside-monitor"),
  /** Continuous body temperature. */
  TEMPERATURE_PATCH("temperature-patch");

  private final String type;

  DeviceKind(String type) {
    this.type = type;
  }

  /** The device type as registered on Vigil. */
  public String type() {
    return type;
  }

  public static DeviceKind ofType(String type) {
    for (DeviceKind kind : values()) {
      if (kind.type.equals(type)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("no simulated device of type " + type);
  }
}
