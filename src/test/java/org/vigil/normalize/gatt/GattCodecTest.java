package org.vigil.normalize.gatt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;

/**
 * The GATT decoders against the byte vectors of public test suites (tagged as in
 * shared/data/gatt/VECTORS.md: NORDIC, SPEZI) and vectors derived from the Bluetooth SIG
 * specifications for the cases those do not cover.
 */
class GattCodecTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:00Z");
  private final GattCodec codec = new GattCodec(ZoneOffset.UTC);

  private List<DeviceReading> decode(String uuid, String hex) {
    return codec.decode(uuid, bytes(hex), RECEIVED);
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  private static void assertInvalid(Runnable decode, String location) {
    assertThatThrownBy(decode::run)
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e -> assertThat(e.problems()).extracting(MessageProblem::location).contains(location));
  }

  @Nested
  class MedicalFloats {
    @Test
    void decodeSfloatsWithoutBias() {
      // VECTORS.md "standalone number vectors" (NORDIC, SPEZI)
      assertThat(MedicalFloat.sfloat(0x008A)).contains(138.0);
      assertThat(MedicalFloat.sfloat(0xF0BD)).contains(18.9);
      assertThat(MedicalFloat.sfloat(0xF3E8)).contains(100.0);
      assertThat(MedicalFloat.sfloat(0xE366)).contains(8.7);
      assertThat(MedicalFloat.sfloat(0x0064)).contains(100.0);
      assertThat(MedicalFloat.sfloat(0xFFFF)).contains(-0.1); // mantissa -1, exponent -1
    }

    @Test
    void decodeFloats() {
      assertThat(MedicalFloat.float32(0xFE000EB0)).contains(37.6); // NORDIC temperature
      assertThat(MedicalFloat.float32(0x00FFFFFF)).contains(-1.0);
      assertThat(MedicalFloat.float32(0x02000001)).contains(100.0);
    }

    @Test
    void specialValuesAreNoValue() {
      for (int special : new int[] {0x07FF, 0x0800, 0x07FE, 0x0802, 0x0801}) {
        assertThat(MedicalFloat.sfloat(special)).as("SFLOAT %04X", special).isEmpty();
      }
      for (int special : new int[] {0x007FFFFF, 0x00800000, 0x007FFFFE, 0x00800002, 0x00800001}) {
        assertThat(MedicalFloat.float32(special)).as("FLOAT %08X", special).isEmpty();
      }
    }

    @Test
    void nonConformingBiasedEncodingDecodesAsTheStandardSays() {
      // RONAN's "biased exponent" 98 is, per IEEE 11073-20601, 98 x 10^-8 (VECTORS.md negative
      // case)
      assertThat(MedicalFloat.sfloat(0x8062)).contains(9.8e-7);
    }
  }

  @Nested
  class HeartRateMeasurement {
    @Test
    void decodesNordicVectors() {
      assertThat(GattCodec.decodeHeartRate(new GattBytes(bytes("00 55"))))
          .isEqualTo(new GattCodec.HeartRate(85, Optional.empty(), Optional.empty(), List.of()));
      assertThat(GattCodec.decodeHeartRate(new GattBytes(bytes("1E 55 32 00 21 00"))))
          .isEqualTo(new GattCodec.HeartRate(85, Optional.of(true), Optional.of(50), List.of(33)));
      assertThat(
              GattCodec.decodeHeartRate(new GattBytes(bytes("1F 01 01 32 01 01 00 02 01 FF FF"))))
          .isEqualTo(
              new GattCodec.HeartRate(
                  257, Optional.of(true), Optional.of(306), List.of(1, 258, 65535)));
    }

    @Test
    void givesTheHeartRateReading() {
      assertThat(decode("2A37", "00 55"))
          .containsExactly(
              new DeviceReading("heartRate", "http://loinc.org", "8867-4", 85, "/min", RECEIVED));
    }

    @Test
    void noSkinContactNoHeartRate() {
      assertThat(decode("2a37", "04 FF")).isEmpty(); // NORDIC: supported, not detected
    }

    @Test
    void refusesAnnouncedButMissingFields() {
      assertInvalid(() -> decode("2A37", "17 01 01"), "bytes[3..4] (rrInterval)"); // NORDIC invalid
      assertInvalid(() -> decode("2A37", "01 55"), "bytes[1..2] (heartRate)");
      assertInvalid(() -> decode("2A37", ""), "bytes[0] (flags)");
    }
  }

  @Nested
  class BloodPressureMeasurement {
    @Test
    void decodesNordicFullVector() {
      List<DeviceReading> readings =
          decode("2A35", "1E 8A 00 58 00 78 00 00 00 04 11 14 29 3B 3C 00 01 27 00");

      // The time stamp's year is 0 (not known): the receive time stands in.
      assertThat(readings)
          .extracting(
              DeviceReading::code,
              DeviceReading::value,
              DeviceReading::unit,
              DeviceReading::effectiveAt)
          .containsExactly(
              tuple("8480-6", 138.0, "mm[Hg]", RECEIVED),
              tuple("8462-4", 88.0, "mm[Hg]", RECEIVED),
              tuple("8478-0", 120.0, "mm[Hg]", RECEIVED),
              tuple("8867-4", 60.0, "/min", RECEIVED));
    }

    @Test
    void decodesKilopascalBloodPressureWithPulse() {
      assertThat(decode("2A35", "15 BD F0 0B 00 9F F0 3C 00 12 00"))
          .extracting(DeviceReading::code, DeviceReading::value, DeviceReading::unit)
          .containsExactly(
              tuple("8480-6", 18.9, "kPa"),
              tuple("8462-4", 11.0, "kPa"),
              tuple("8478-0", 15.9, "kPa"),
              tuple("8867-4", 60.0, "/min"));
    }

    @Test
    void usesAKnownTimeStampInTheDeviceZone() {
      // derived: 120/80/93 mmHg, 2026-11-24 08:30:15 on a clock set to Europe/Berlin (UTC+1)
      GattCodec berlin = new GattCodec(ZoneId.of("Europe/Berlin"));
      List<DeviceReading> readings =
          berlin.decode("2A35", bytes("02 78 00 50 00 5D 00 EA 07 0B 18 08 1E 0F"), RECEIVED);
      assertThat(readings)
          .allSatisfy(
              r -> assertThat(r.effectiveAt()).isEqualTo(Instant.parse("2026-11-24T07:30:15Z")));
    }

    @Test
    void aSpecialValueDropsOnlyItsField() {
      // derived: systolic 120, diastolic NaN (0x07FF), MAP NRes (0x0800)
      assertThat(decode("2A35", "00 78 00 FF 07 00 08"))
          .extracting(DeviceReading::code, DeviceReading::value)
          .containsExactly(tuple("8480-6", 120.0));
    }

    @Test
    void refusesNordicInvalidVectors() {
      assertInvalid(
          () -> decode("2A35", "01 02 03 04 05 06"), "bytes[5..6] (meanArterialPressure)");
      assertInvalid(() -> decode("2A35", "03 02 03 04 05 06 07"), "bytes[7..8] (timeStamp.year)");
    }
  }

  @Nested
  class TemperatureMeasurement {
    @Test
    void decodesNordicVector() {
      assertThat(decode("2A1C", "06 B0 0E 00 FE DC 07 0C 05 0B 32 1B 04"))
          .containsExactly(
              new DeviceReading(
                  "temperature",
                  "http://loinc.org",
                  "8310-5",
                  37.6,
                  "Cel",
                  Instant.parse("2012-12-05T11:50:27Z")));
    }

    @Test
    void passesFahrenheitOnForConversion() {
      // derived: 98.6 °F = mantissa 986, exponent -1: 0xFF0003DA
      assertThat(decode("2A1C", "01 DA 03 00 FF"))
          .extracting(DeviceReading::value, DeviceReading::unit)
          .containsExactly(tuple(98.6, "[degF]"));
    }

    @Test
    void refusesAMissingTypeByte() {
      assertInvalid(
          () -> decode("2A1C", "06 B0 0E 00 FE DC 07 0C 05 0B 32 1B"),
          "bytes[12] (temperatureType)");
    }

    @Test
    void nanTemperatureIsNoReading() {
      assertThat(decode("2A1C", "00 FF FF 7F 00")).isEmpty();
    }
  }

  @Nested
  class PulseOximetry {
    @Test
    void decodesSpeziSpotCheck() {
      assertThat(decode("2A5E", "0F AC F3 BE F5 E8 07 0B 1D 17 08 39 20 40 22 00 00 66 E3"))
          .extracting(DeviceReading::code, DeviceReading::value, DeviceReading::effectiveAt)
          .containsExactly(
              tuple("59408-5", 94.0, Instant.parse("2024-11-29T23:08:57Z")),
              tuple("8867-4", 147.0, Instant.parse("2024-11-29T23:08:57Z")));
    }

    @Test
    void ignoresTheTimeStampOfAClockThatIsNotSet() {
      // derived: SPEZI's spot-check with flag bit 4 (device clock not set) added
      assertThat(decode("2A5E", "1F AC F3 BE F5 E8 07 0B 1D 17 08 39 20 40 22 00 00 66 E3"))
          .allSatisfy(r -> assertThat(r.effectiveAt()).isEqualTo(RECEIVED));
    }

    @Test
    void decodesSpeziContinuousVectors() {
      assertThat(decode("2A5F", "00 E8 F3 84 F3"))
          .extracting(DeviceReading::value)
          .containsExactly(100.0, 90.0);
      assertThat(decode("2A5F", "00 64 00 5A 00"))
          .extracting(DeviceReading::value)
          .containsExactly(100.0, 90.0);
      assertThat(decode("2A5F", "1C 5F 00 5A 00 20 00 00 00 00 57 F0"))
          .extracting(DeviceReading::value)
          .containsExactly(95.0, 90.0);
      assertThat(decode("2A5F", "1F DE F3 CA F3 CA F3 5A F5 D4 F3 B2 F2 20 01 00 00 00 7A E3"))
          .extracting(DeviceReading::code, DeviceReading::value)
          .containsExactly(tuple("59408-5", 99.0), tuple("8867-4", 97.0));
    }

    @Test
    void refusesTruncatedContinuousFields() {
      assertInvalid(() -> decode("2A5F", "01 E8 F3 84 F3 E8 F3"), "bytes[7..8] (pulseRateFast)");
      assertInvalid(
          () -> decode("2A5F", "08 E8 F3 84 F3 00 00"), "bytes[5..7] (deviceAndSensorStatus)");
    }
  }

  @Nested
  class GlucoseMeasurement {
    @Test
    void decodesNordicVectorWithTheTimeOffsetApplied() {
      assertThat(decode("2A18", "1B 01 00 E3 07 02 1B 0B 0A 1E FB FF 1E 00 12 05 01"))
          .containsExactly(
              new DeviceReading(
                  "concentration",
                  "http://loinc.org",
                  "41653-7",
                  3_000_000.0, // the vector's contrived 30 kg/L
                  "mg/dL",
                  Instant.parse("2019-02-27T11:05:30Z")));
    }

    @Test
    void convertsRealisticConcentrations() {
      // derived: 95 mg/dL = 0.00095 kg/L = mantissa 95, exponent -5 (0xB05F); venous plasma (4)
      assertThat(decode("2A18", "02 02 00 EA 07 0B 18 07 00 00 5F B0 44"))
          .extracting(DeviceReading::code, DeviceReading::value, DeviceReading::unit)
          .containsExactly(tuple("2339-0", 95.0, "mg/dL"));
      // derived: 5.3 mmol/L = 0.0053 mol/L = mantissa 53, exponent -4 (0xC035); capillary blood
      assertThat(decode("2A18", "06 03 00 EA 07 0B 18 07 00 00 35 C0 11"))
          .extracting(DeviceReading::code, DeviceReading::value, DeviceReading::unit)
          .containsExactly(tuple("41653-7", 5.3, "mmol/L"));
    }

    @Test
    void refusesAMissingTimeOffset() {
      // NORDIC invalid vector: without its offset the record is two bytes short, which shows at
      // the last field its flags announce.
      assertInvalid(
          () -> decode("2A18", "1B 00 00 E2 07 04 1A 0B 09 1E 1E 00 12 05 01"),
          "bytes[15..16] (sensorStatusAnnunciation)");
    }
  }

  @Nested
  class WeightMeasurement {
    @Test
    void decodesMetricWeightWithBmiAndHeight() {
      // derived: 70.5 kg = 14100 x 0.005 (0x3714); BMI 23.0 = 230 (0x00E6); 1.751 m = 1751 (0x06D7)
      assertThat(decode("2A9D", "08 14 37 E6 00 D7 06"))
          .extracting(DeviceReading::code, DeviceReading::value, DeviceReading::unit)
          .containsExactly(
              tuple("29463-7", 70.5, "kg"),
              tuple("39156-5", 23.0, "kg/m2"),
              tuple("8302-2", 1.751, "m"));
    }

    @Test
    void decodesImperialWeight() {
      // derived: 154.32 lb = 15432 x 0.01 (0x3C48)
      assertThat(decode("2A9D", "01 48 3C"))
          .extracting(DeviceReading::value, DeviceReading::unit)
          .containsExactly(tuple(154.32, "[lb_av]"));
    }

    @Test
    void anUnsuccessfulMeasurementIsNoWeight() {
      assertThat(decode("2A9D", "00 FF FF")).isEmpty();
    }
  }

  @Test
  void refusesCharacteristicsItDoesNotRead() {
    assertInvalid(() -> decode("2A00", "00"), "uuid");
    assertThat(GattCodec.supports("2a35")).isTrue();
    assertThat(GattCodec.supports("2A36")).isFalse();
  }
}
