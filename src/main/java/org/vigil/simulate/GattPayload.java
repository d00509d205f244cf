package org.vigil.simulate;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Readings as the Bluetooth GATT characteristic values a phone or hub forwards from a home device
 * ({@code devices/{id}/gatt/{uuid16}}), encoded per the Bluetooth SIG health profiles with IEEE
 * 11073-20601 SFLOAT and FLOAT: the device's own bytes, as Vigil must decode them. Only
 * characteristics that carry their own time stamp are used — PLX Spot-Check (2A5E) rather than PLX
 * Continuous, which has none — so that a ward played faster than real time is dated as it was
 * measured; the stamps are UTC (Vigil's {@code vigil.ingest.device-clock-zone} default).
 */
final class GattPayload {

  /** One characteristic value and how many readings it carries. */
  record Value(String uuid16, byte[] bytes, int readings) {}

  /** The characteristic each kind of device sends its readings in. */
  private static final Map<DeviceKind, String> CHARACTERISTIC = new EnumMap<>(DeviceKind.class);

  static {
    CHARACTERISTIC.put(DeviceKind.PULSE_OXIMETER, "2A5E");
    CHARACTERISTIC.put(DeviceKind.BLOOD_PRESSURE_CUFF, "2A35");
    CHARACTERISTIC.put(DeviceKind.TEMPERATURE_PATCH, "2A1C");
    CHARACTERISTIC.put(DeviceKind.GLUCOSE_MONITOR, "2A18");
    CHARACTERISTIC.put(DeviceKind.WEIGHT_SCALE, "2A9D");
  }

  /** SFLOAT's "not a number": a field the device has no value for. */
  private static final int SFLOAT_NAN = 0x07FF;

  private GattPayload() {}

  /** Whether a kind of device has a GATT characteristic for everything it measures. */
  static boolean speaks(DeviceKind kind) {
    return CHARACTERISTIC.containsKey(kind);
  }

  /**
   * The values for one device's readings, one per instant (an oximeter's SpO2 and pulse of the same
   * second go together, as do a cuff's systolic and diastolic), in time order.
   */
  static List<Value> of(DeviceKind kind, List<Simulation.Reading> readings, long firstSequence) {
    String uuid = CHARACTERISTIC.get(kind);
    if (uuid == null) {
      throw new IllegalArgumentException(kind.type() + " has no GATT characteristic");
    }
    List<Value> values = new ArrayList<>();
    long sequence = firstSequence;
    int i = 0;
    while (i < readings.size()) {
      Instant at = readings.get(i).at();
      Map<Vital, Double> now = new EnumMap<>(Vital.class);
      while (i < readings.size() && readings.get(i).at().equals(at)) {
        now.put(readings.get(i).vital(), readings.get(i).value());
        i++;
      }
      byte[] bytes =
          switch (uuid) {
            case "2A5E" -> plxSpotCheck(now, at);
            case "2A35" -> bloodPressure(now, at);
            case "2A1C" -> temperature(now.get(Vital.TEMPERATURE), at);
            case "2A18" -> glucose(now.get(Vital.GLUCOSE), at, sequence++);
            default -> weight(now.get(Vital.WEIGHT), at);
          };
      values.add(new Value(uuid, bytes, now.size()));
    }
    return values;
  }

  /** Flags: time stamp present. SpO2 and pulse rate as SFLOAT, then the time stamp. */
  private static byte[] plxSpotCheck(Map<Vital, Double> now, Instant at) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x01);
    sfloat(out, Optional.ofNullable(now.get(Vital.OXYGEN_SATURATION)), 0);
    sfloat(out, Optional.ofNullable(now.get(Vital.HEART_RATE)), 0);
    dateTime(out, at);
    return out.toByteArray();
  }

  /** Flags: mmHg, time stamp present. Systolic, diastolic, mean arterial pressure, time stamp. */
  private static byte[] bloodPressure(Map<Vital, Double> now, Instant at) {
    Optional<Double> systolic = Optional.ofNullable(now.get(Vital.SYSTOLIC));
    Optional<Double> diastolic = Optional.ofNullable(now.get(Vital.DIASTOLIC));
    Optional<Double> mean =
        systolic.isPresent() && diastolic.isPresent()
            ? Optional.of(
                (double) Math.round(diastolic.get() + (systolic.get() - diastolic.get()) / 3))
            : Optional.empty();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x02);
    sfloat(out, systolic, 0);
    sfloat(out, diastolic, 0);
    sfloat(out, mean, 0);
    dateTime(out, at);
    return out.toByteArray();
  }

  /** Flags: Celsius, time stamp present. The temperature as FLOAT to 0.01 °C, time stamp. */
  private static byte[] temperature(double celsius, Instant at) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x02);
    int mantissa =
        BigDecimal.valueOf(celsius)
            .movePointRight(2)
            .setScale(0, RoundingMode.HALF_UP)
            .intValueExact();
    int raw = (-2 << 24) | (mantissa & 0x00FF_FFFF);
    out.write(raw);
    out.write(raw >> 8);
    out.write(raw >> 16);
    out.write(raw >> 24);
    dateTime(out, at);
    return out.toByteArray();
  }

  /**
   * Flags: concentration, type and sample location present, kg/L. Sequence number, base time, the
   * concentration as SFLOAT in kg/L (100 mg/dL is 100 × 10⁻⁵ kg/L), then type 9 (interstitial
   * fluid, a CGM) and location 15 (not available) in one byte.
   */
  private static byte[] glucose(double mgPerDl, Instant at, long sequence) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x02);
    out.write((int) sequence);
    out.write((int) (sequence >> 8));
    dateTime(out, at);
    sfloat(out, Optional.of(mgPerDl), -5);
    out.write(0xF9);
    return out.toByteArray();
  }

  /** Flags: SI, time stamp present. The weight in units of 5 g, time stamp. */
  private static byte[] weight(double kg, Instant at) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x02);
    int units = (int) Math.round(kg / 0.005);
    out.write(units);
    out.write(units >> 8);
    dateTime(out, at);
    return out.toByteArray();
  }

  /**
   * An SFLOAT of {@code mantissa × 10^exponent}, the mantissa rounded to a whole number, or NaN
   * when absent.
   */
  private static void sfloat(
      ByteArrayOutputStream out, Optional<Double> mantissaValue, int exponent) {
    int raw = SFLOAT_NAN;
    if (mantissaValue.isPresent()) {
      Optional<Double> value = mantissaValue;
      int mantissa =
          BigDecimal.valueOf(value.get()).setScale(0, RoundingMode.HALF_UP).intValueExact();
      if (mantissa < -2046 || mantissa > 2045) {
        throw new IllegalArgumentException(value.get() + " does not fit an SFLOAT");
      }
      raw = ((exponent & 0x0F) << 12) | (mantissa & 0x0FFF);
    }
    out.write(raw);
    out.write(raw >> 8);
  }

  /** The Bluetooth Date Time: year (little-endian), month, day, hours, minutes, seconds. */
  private static void dateTime(ByteArrayOutputStream out, Instant at) {
    LocalDateTime t = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    out.write(t.getYear());
    out.write(t.getYear() >> 8);
    out.write(t.getMonthValue());
    out.write(t.getDayOfMonth());
    out.write(t.getHour());
    out.write(t.getMinute());
    out.write(t.getSecond());
  }
}
