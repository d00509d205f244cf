package org.vigil.simulate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/** The kinds of device the simulator can play, named as a ward would name them. */
public enum DeviceKind {
  /** Heart rate, SpO2, respiratory rate and blood pressure. */
  BEDSIDE_MONITOR(
      "bedside-monitor",
      List.of(
          Vital.HEART_RATE,
          Vital.OXYGEN_SATURATION,
          Vital.RESPIRATORY_RATE,
          Vital.SYSTOLIC,
          Vital.DIASTOLIC)),
  /** Continuous body temperature. */
  TEMPERATURE_PATCH("temperature-patch", List.of(Vital.TEMPERATURE)),
  /** A finger-clip oximeter: SpO2 and pulse rate. */
  PULSE_OXIMETER("pulse-oximeter", List.of(Vital.OXYGEN_SATURATION, Vital.HEART_RATE)),
  /** An automatic cuff on its own: systolic and diastolic pressure. */
  BLOOD_PRESSURE_CUFF("blood-pressure-cuff", List.of(Vital.SYSTOLIC, Vital.DIASTOLIC)),
  /** A continuous glucose monitor. */
  GLUCOSE_MONITOR("glucose-monitor", List.of(Vital.GLUCOSE)),
  /** A scale at home. */
  WEIGHT_SCALE("weight-scale", List.of(Vital.WEIGHT)),
  /** A smart pill dispenser at home: dose events in Vigil's native JSON, no vitals. */
  PILL_DISPENSER("pill-dispenser", List.of()),
  /** A PillPal dispenser: the same events in its vendor's compact JSON (Vigil's event template). */
  PILLPAL_DISPENSER("pillpal-dispenser", List.of());

  private final String type;
  private final List<Vital> vitals;

  DeviceKind(String type, List<Vital> vitals) {
    this.type = type;
    this.vitals = vitals;
  }

  /** The device type as registered on Vigil, and as scenario files name it. */
  @JsonValue
  public String type() {
    return type;
  }

  List<Vital> vitals() {
    return vitals;
  }

  /** A dispenser: sends dose events on {@code devices/{id}/events}, not readings. */
  boolean dispenser() {
    return this == PILL_DISPENSER || this == PILLPAL_DISPENSER;
  }

  @JsonCreator
  public static DeviceKind ofType(String type) {
    for (DeviceKind kind : values()) {
      if (kind.type.equals(type)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "no simulated device of type "
            + type
            + "; known: "
            + String.join(", ", Arrays.stream(values()).map(DeviceKind::type).toList()));
  }
}
