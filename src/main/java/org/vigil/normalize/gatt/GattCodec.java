package org.vigil.normalize.gatt;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;

/**
 * Decodes Bluetooth GATT health characteristics, as a phone or hub gateway forwards their raw
 * values, into readings — per the Bluetooth SIG service specifications (Heart Rate, Blood Pressure,
 * Health Thermometer, Pulse Oximeter, Glucose, Weight Scale) with IEEE 11073-20601 SFLOAT and FLOAT
 * numbers.
 *
 * <p>Units are passed on as the device sent them (mmHg or kPa, °C or °F, kg or lb); normalization
 * converts to Vigil's canonical UCUM units. A special value (NaN, NRes, ±INFINITY, reserved) means
 * no value: that field gives no reading and the rest of the message still counts. Times come from
 * the characteristic's own Date Time field where it has one and the device's clock is set,
 * interpreted in the device clock's zone (GATT date-times carry no offset); otherwise the receive
 * time.
 */
public final class GattCodec {

  static final String LOINC = "http://loinc.org";

  private final ZoneId deviceClockZone;
  private final Map<String, Decoder> decoders =
      Map.of(
          "2A37", this::heartRate,
          "2A35", this::bloodPressure,
          "2A1C", this::temperature,
          "2A5E", this::plxSpotCheck,
          "2A5F", this::plxContinuous,
          "2A18", this::glucose,
          "2A9D", this::weight);

  public GattCodec(ZoneId deviceClockZone) {
    this.deviceClockZone = deviceClockZone;
  }

  @FunctionalInterface
  private interface Decoder {
    List<DeviceReading> decode(GattBytes bytes, Instant receivedAt);
  }

  /** The characteristics Vigil reads. */
  public static final java.util.Set<String> SUPPORTED =
      java.util.Set.of("2A37", "2A35", "2A1C", "2A5E", "2A5F", "2A18", "2A9D");

  /** Whether the characteristic (four hex digits, any case) is one Vigil reads. */
  public static boolean supports(String uuid16) {
    return uuid16 != null && SUPPORTED.contains(uuid16.toUpperCase(Locale.ROOT));
  }

  /**
   * @param uuid16 the characteristic, four hex digits, any case ({@code 2A37})
   * @param value the characteristic's value as the device sent it
   * @param receivedAt when it arrived, the time of readings that carry none
   * @throws InvalidMessageException for an unknown characteristic or a value its flags contradict
   */
  public List<DeviceReading> decode(String uuid16, byte[] value, Instant receivedAt) {
    Decoder decoder = uuid16 == null ? null : decoders.get(uuid16.toUpperCase(Locale.ROOT));
    if (decoder == null) {
      throw new InvalidMessageException(
          new MessageProblem(
              "uuid",
              "GATT characteristic "
                  + uuid16
                  + " is not one Vigil reads; it reads 2A37 heart rate, 2A35 blood pressure, 2A1C"
                  + " temperature, 2A5E and 2A5F pulse oximetry, 2A18 glucose, 2A9D weight"));
    }
    if (value.length == 0) {
      throw new InvalidMessageException(
          new MessageProblem("bytes[0] (flags)", "is missing: the value is empty"));
    }
    return decoder.decode(new GattBytes(value), receivedAt);
  }

  /**
   * A Heart Rate Measurement (0x2A37) with every field, for callers that want more than readings.
   */
  record HeartRate(
      int rate,
      Optional<Boolean> sensorContact,
      Optional<Integer> energyExpendedKilojoules,
      List<Integer> rrIntervals1024ths) {}

  static HeartRate decodeHeartRate(GattBytes bytes) {
    int flags = bytes.uint8("flags");
    int rate = (flags & 0x01) != 0 ? bytes.uint16("heartRate") : bytes.uint8("heartRate");
    boolean contactSupported = (flags & 0x04) != 0;
    Optional<Boolean> contact =
        contactSupported ? Optional.of((flags & 0x02) != 0) : Optional.empty();
    Optional<Integer> energy =
        (flags & 0x08) != 0 ? Optional.of(bytes.uint16("energyExpended")) : Optional.empty();
    List<Integer> rr = new ArrayList<>();
    if ((flags & 0x10) != 0) {
      if (bytes.remaining() < 2) {
        bytes.uint16("rrInterval"); // reports the missing interval precisely
      }
      while (bytes.remaining() >= 2) {
        rr.add(bytes.uint16("rrInterval"));
      }
    }
    return new HeartRate(rate, contact, energy, List.copyOf(rr));
  }

  /**
   * Heart rate only: Vigil's catalog has no codes for energy expended or RR intervals, and it does
   * not invent them. A rate measured while the sensor reports no skin contact is no rate at all.
   */
  private List<DeviceReading> heartRate(GattBytes bytes, Instant receivedAt) {
    HeartRate decoded = decodeHeartRate(bytes);
    if (decoded.sensorContact().equals(Optional.of(false))) {
      return List.of();
    }
    return List.of(reading("heartRate", "8867-4", decoded.rate(), "/min", receivedAt));
  }

  private List<DeviceReading> bloodPressure(GattBytes bytes, Instant receivedAt) {
    int flags = bytes.uint8("flags");
    String unit = (flags & 0x01) != 0 ? "kPa" : "mm[Hg]";
    Optional<Double> systolic = bytes.sfloat("systolic");
    Optional<Double> diastolic = bytes.sfloat("diastolic");
    Optional<Double> mean = bytes.sfloat("meanArterialPressure");
    Instant time = receivedAt;
    if ((flags & 0x02) != 0) {
      time = bytes.dateTime("timeStamp", deviceClockZone).orElse(receivedAt);
    }
    Optional<Double> pulse = (flags & 0x04) != 0 ? bytes.sfloat("pulseRate") : Optional.empty();
    if ((flags & 0x08) != 0) {
      bytes.uint8("userId");
    }
    if ((flags & 0x10) != 0) {
      bytes.uint16("measurementStatus");
    }
    List<DeviceReading> readings = new ArrayList<>();
    Instant at = time;
    systolic.ifPresent(v -> readings.add(reading("systolic", "8480-6", v, unit, at)));
    diastolic.ifPresent(v -> readings.add(reading("diastolic", "8462-4", v, unit, at)));
    mean.ifPresent(v -> readings.add(reading("meanArterialPressure", "8478-0", v, unit, at)));
    pulse.ifPresent(v -> readings.add(reading("pulseRate", "8867-4", v, "/min", at)));
    return readings;
  }

  private List<DeviceReading> temperature(GattBytes bytes, Instant receivedAt) {
    int flags = bytes.uint8("flags");
    String unit = (flags & 0x01) != 0 ? "[degF]" : "Cel";
    Optional<Double> temperature = bytes.float32("temperature");
    Instant time = receivedAt;
    if ((flags & 0x02) != 0) {
      time = bytes.dateTime("timeStamp", deviceClockZone).orElse(receivedAt);
    }
    if ((flags & 0x04) != 0) {
      bytes.uint8("temperatureType");
    }
    Instant at = time;
    return temperature
        .map(v -> List.of(reading("temperature", "8310-5", v, unit, at)))
        .orElse(List.of());
  }

  private List<DeviceReading> plxSpotCheck(GattBytes bytes, Instant receivedAt) {
    int flags = bytes.uint8("flags");
    Optional<Double> saturation = bytes.sfloat("spo2");
    Optional<Double> pulse = bytes.sfloat("pulseRate");
    Instant time = receivedAt;
    if ((flags & 0x01) != 0) {
      Optional<Instant> stamped = bytes.dateTime("timeStamp", deviceClockZone);
      // Bit 4: the device says its clock is not set, so its time stamp means nothing.
      if ((flags & 0x10) == 0) {
        time = stamped.orElse(receivedAt);
      }
    }
    if ((flags & 0x02) != 0) {
      bytes.uint16("measurementStatus");
    }
    if ((flags & 0x04) != 0) {
      bytes.uint24("deviceAndSensorStatus");
    }
    if ((flags & 0x08) != 0) {
      bytes.sfloat("pulseAmplitudeIndex");
    }
    return oximetry(saturation, pulse, time);
  }

  private List<DeviceReading> plxContinuous(GattBytes bytes, Instant receivedAt) {
    int flags = bytes.uint8("flags");
    Optional<Double> saturation = bytes.sfloat("spo2");
    Optional<Double> pulse = bytes.sfloat("pulseRate");
    if ((flags & 0x01) != 0) {
      bytes.sfloat("spo2Fast");
      bytes.sfloat("pulseRateFast");
    }
    if ((flags & 0x02) != 0) {
      bytes.sfloat("spo2Slow");
      bytes.sfloat("pulseRateSlow");
    }
    if ((flags & 0x04) != 0) {
      bytes.uint16("measurementStatus");
    }
    if ((flags & 0x08) != 0) {
      bytes.uint24("deviceAndSensorStatus");
    }
    if ((flags & 0x10) != 0) {
      bytes.sfloat("pulseAmplitudeIndex");
    }
    return oximetry(saturation, pulse, receivedAt);
  }

  private static List<DeviceReading> oximetry(
      Optional<Double> saturation, Optional<Double> pulse, Instant time) {
    List<DeviceReading> readings = new ArrayList<>();
    saturation.ifPresent(v -> readings.add(reading("spo2", "59408-5", v, "%", time)));
    pulse.ifPresent(v -> readings.add(reading("pulseRate", "8867-4", v, "/min", time)));
    return readings;
  }

  /**
   * Glucose in kg/L becomes mg/dL (× 100 000), in mol/L becomes mmol/L (× 1000). Capillary samples
   * (whole blood or plasma, sample types 1 and 2) are "by glucometer" (LOINC 41653-7); others are
   * glucose in blood (2339-0).
   */
  private List<DeviceReading> glucose(GattBytes bytes, Instant receivedAt) {
    int flags = bytes.uint8("flags");
    bytes.uint16("sequenceNumber");
    Optional<Instant> base = bytes.dateTime("baseTime", deviceClockZone);
    int offsetMinutes = (flags & 0x01) != 0 ? bytes.sint16("timeOffset") : 0;
    if ((flags & 0x02) == 0) {
      return List.of(); // a record without a concentration (e.g. only context)
    }
    Optional<Double> concentration = bytes.sfloat("concentration");
    int typeAndLocation = bytes.uint8("typeAndSampleLocation");
    if ((flags & 0x08) != 0) {
      bytes.uint16("sensorStatusAnnunciation");
    }
    Instant time = base.map(t -> t.plus(Duration.ofMinutes(offsetMinutes))).orElse(receivedAt);
    int sampleType = typeAndLocation & 0x0F;
    String code = sampleType == 1 || sampleType == 2 ? "41653-7" : "2339-0";
    boolean molar = (flags & 0x04) != 0;
    Function<Double, DeviceReading> toReading =
        v ->
            molar
                ? reading("concentration", code, v * 1000, "mmol/L", time)
                : reading("concentration", code, v * 100_000, "mg/dL", time);
    return concentration.map(toReading).map(List::of).orElse(List.of());
  }

  /**
   * Weight in kg (resolution 0.005) or lb (0.01); with BMI and height when the scale sends them.
   * 0xFFFF is the scale's "measurement unsuccessful".
   */
  private List<DeviceReading> weight(GattBytes bytes, Instant receivedAt) {
    int flags = bytes.uint8("flags");
    boolean imperial = (flags & 0x01) != 0;
    int weight = bytes.uint16("weight");
    Instant time = receivedAt;
    if ((flags & 0x02) != 0) {
      time = bytes.dateTime("timeStamp", deviceClockZone).orElse(receivedAt);
    }
    if ((flags & 0x04) != 0) {
      bytes.uint8("userId");
    }
    List<DeviceReading> readings = new ArrayList<>();
    if (weight != 0xFFFF) {
      readings.add(
          imperial
              ? reading("weight", "29463-7", weight * 0.01, "[lb_av]", time)
              : reading("weight", "29463-7", weight * 0.005, "kg", time));
    }
    if ((flags & 0x08) != 0) {
      int bmi = bytes.uint16("bmi");
      int height = bytes.uint16("height");
      readings.add(reading("bmi", "39156-5", bmi * 0.1, "kg/m2", time));
      readings.add(
          imperial
              ? reading("height", "8302-2", height * 0.1, "[in_i]", time)
              : reading("height", "8302-2", height * 0.001, "m", time));
    }
    return readings;
  }

  private static DeviceReading reading(
      String field, String code, double value, String unit, Instant time) {
    // Resolutions such as 0.005 kg leave binary noise (70.00500000000001): keep what the device
    // can resolve, at most six decimals.
    double rounded = Math.round(value * 1e6) / 1e6;
    return new DeviceReading(field, LOINC, code, rounded, unit, time);
  }
}
