package org.vigil.normalize.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.vigil.normalize.DeviceReading;

/** PCD-01 and Continua messages from the IPF project's samples, and messages derived from them. */
class Pcd01DecoderTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:00Z");
  private final Pcd01Decoder decoder = new Pcd01Decoder(ZoneOffset.UTC);

  static String sample(String name) {
    try (InputStream in = Pcd01DecoderTest.class.getResourceAsStream("/hl7v2/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Pcd01Readings readings(String text) {
    return Pcd01Readings.of(decoder.decode(text), RECEIVED);
  }

  @Test
  void readsTheBloodPressureRequestWithInheritedTimeAndEquipment() {
    Pcd01Message message = decoder.decode(sample("ipf-pcd01_valid-pcd01-request.hl7v2"));
    assertThat(message.controlId()).isEqualTo("MSGID1234");
    assertThat(message.sendingApplication()).isEqualTo("ACDE48234567ABCD");
    assertThat(message.patients())
        .containsExactly(new Pcd01Message.PatientIdentifier("789567", "Imaginary Hospital", "PI"));

    Pcd01Readings readings = Pcd01Readings.of(message, RECEIVED);
    assertThat(readings.errors()).isEmpty();
    assertThat(readings.warnings()).isEmpty();
    // OBX 3-5 carry no time: they take OBX 2's (1.0.1), 2009-08-13 09:57:15 +05:00; their
    // equipment comes from the MDS row (containment 1).
    assertThat(readings.readings())
        .extracting(
            r -> r.equipment(),
            r -> r.reading().code(),
            r -> r.reading().value(),
            r -> r.reading().unit(),
            r -> r.reading().effectiveAt(),
            r -> r.reading().mdcCode())
        .containsExactly(
            tuple(
                "0123456789ABCDEF",
                "8480-6",
                120.0,
                "mm[Hg]",
                Instant.parse("2009-08-13T04:57:15Z"),
                150021),
            tuple(
                "0123456789ABCDEF",
                "8462-4",
                80.0,
                "mm[Hg]",
                Instant.parse("2009-08-13T04:57:15Z"),
                150022),
            tuple(
                "0123456789ABCDEF",
                "8478-0",
                100.0,
                "mm[Hg]",
                Instant.parse("2009-08-13T04:57:15Z"),
                150023));
  }

  @Test
  void readsAGatewaysMonitorMessageWithUcumUnitsAndSkipsWhatItDoesNotStore() {
    Pcd01Readings readings = readings(sample("ipf-pcd01_valid-pcd01-request2.hl7v2"));

    assertThat(readings.errors()).isEmpty();
    // Heart rate and the invasive pulse rate are stored; the equipment is the gateway (MSH-3);
    // the time is OBR-7 with no offset, read in the device zone (UTC here).
    assertThat(readings.readings())
        .extracting(
            r -> r.reading().location(),
            r -> r.reading().code(),
            r -> r.reading().unit(),
            r -> r.equipment())
        .containsExactly(
            tuple("OBX[1]", "8867-4", "/min", "080019FFFF4F6AC0"),
            tuple("OBX[6]", "8867-4", "/min", "080019FFFF4F6AC0"));
    assertThat(readings.readings().getFirst().reading().effectiveAt())
        .isEqualTo(Instant.parse("2008-12-11T14:45:00Z"));
    // Invasive arterial and pulmonary pressures, and the PVC count, are reported as not stored.
    assertThat(readings.warnings())
        .extracting(Hl7Problem::sequence)
        .containsExactly(2, 3, 4, 5, 7, 8, 9);
    assertThat(readings.warnings().getFirst().message())
        .contains("148065 MDC_ECG_V_P_C_CNT is not a quantity");
  }

  @Test
  void readsContinuaPersonalHealthDevices() {
    assertThat(readings(sample("ipf-continua-wan_valid-oximeter-continua-wan.hl7v2")).readings())
        .extracting(
            r -> r.reading().code(), r -> r.reading().value(), r -> r.reading().effectiveAt())
        .containsExactly(tuple("59408-5", 80.5, Instant.parse("2009-07-15T07:07:07Z")));
    assertThat(readings(sample("ipf-continua-wan_valid-thermometer-continua-wan.hl7v2")).readings())
        .extracting(
            r -> r.reading().code(),
            r -> r.reading().value(),
            r -> r.reading().unit(),
            r -> r.reading().mdcCode())
        .containsExactly(tuple("8310-5", 98.6, "[degF]", 188424));
    assertThat(readings(sample("ipf-continua-wan_valid-scale-continua-wan.hl7v2")).readings())
        .extracting(r -> r.reading().code(), r -> r.reading().value(), r -> r.reading().unit())
        .containsExactly(
            tuple("29463-7", 80.0, "kg"),
            tuple("8302-2", 180.0, "cm"),
            tuple("39156-5", 24.7, "kg/m2"),
            tuple("29463-7", 80.0, "kg"),
            tuple("8302-2", 180.0, "cm"),
            tuple("39156-5", 24.7, "kg/m2"));
    Pcd01Readings glucose = readings(sample("ipf-continua-wan_valid-glucose-continua-wan.hl7v2"));
    assertThat(glucose.readings())
        .extracting(r -> r.reading().code(), r -> r.reading().value(), r -> r.reading().unit())
        .containsExactly(tuple("41653-7", 37.5, "mg/dL"));
    // The glucose context (exercise, medication, carbohydrates) is reported, not stored.
    assertThat(glucose.warnings()).hasSize(4);
    assertThat(readings(sample("ipf-continua-wan_valid-bp-continua-wan.hl7v2")).readings())
        .extracting(r -> r.reading().code())
        .containsExactly("8480-6", "8462-4", "8478-0");
  }

  @Test
  void fitnessMessagesCarryNothingVigilStores() {
    Pcd01Readings fitness = readings(sample("ipf-continua-wan_valid-fitness-continua-wan.hl7v2"));
    assertThat(fitness.readings()).isEmpty();
    assertThat(fitness.errors()).isEmpty();
    assertThat(fitness.warnings()).isNotEmpty();
  }

  @Test
  void theMaximumRequestIsReadDespiteItsOddities() {
    Pcd01Readings readings = readings(sample("ipf-pcd01_valid-pcd01-MaximumRequest2.hl7"));
    // OBX 1's NM value under a device-profile code is not a quantity; the real ones are read.
    assertThat(readings.readings())
        .extracting(r -> r.reading().code(), r -> r.reading().value())
        .containsExactly(tuple("8480-6", 140.0), tuple("8462-4", 70.0), tuple("8478-0", 100.0));
    assertThat(decoder.decode(sample("ipf-pcd01_valid-pcd01-MaximumRequest2.hl7")).patients())
        .extracting(Pcd01Message.PatientIdentifier::id)
        .containsExactly("111222333444");
  }

  @Test
  void acknowledgementsAreNotMessagesItReads() {
    for (String name :
        new String[] {
          "ipf-pcd01_valid-pcd01-response.hl7v2",
          "ipf-continua-wan_valid-wan-response.hl7v2",
          "ipf-pcd01_pcd01-response-invalid.hl7"
        }) {
      assertThatThrownBy(() -> decoder.decode(sample(name)))
          .as(name)
          .isInstanceOfSatisfying(
              Pcd01Rejected.class,
              e ->
                  assertThat(e.problems().getFirst().code())
                      .isEqualTo(Hl7Problem.UNSUPPORTED_MESSAGE_TYPE));
    }
  }

  @Test
  void aNonNumericValueIsAContentErrorNamingTheField() {
    String message =
        sample("ipf-pcd01_valid-pcd01-request.hl7v2").replace("|1.0.1.2|80|", "|1.0.1.2|eighty|");

    Pcd01Readings readings = readings(message);

    assertThat(readings.errors())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.segment()).isEqualTo("OBX");
          assertThat(p.sequence()).isEqualTo(4);
          assertThat(p.field()).isEqualTo(5);
          assertThat(p.code()).isEqualTo(Hl7Problem.DATA_TYPE_ERROR);
          assertThat(p.message()).isEqualTo("'eighty' is not a number");
        });
  }

  @Test
  void aMissingUnitIsAContentError() {
    String message =
        sample("ipf-pcd01_valid-pcd01-request.hl7v2")
            .replace("|80|266016^MDC_DIM_MMHG^MDC|", "|80||");
    assertThat(readings(message).errors())
        .extracting(Hl7Problem::field, Hl7Problem::code)
        .containsExactly(tuple(6, Hl7Problem.REQUIRED_FIELD_MISSING));
  }

  @Test
  void garbageIsRejected() {
    assertThatThrownBy(() -> decoder.decode("this is not HL7")).isInstanceOf(Pcd01Rejected.class);
    assertThatThrownBy(() -> decoder.decode("")).isInstanceOf(Pcd01Rejected.class);
  }

  @Test
  void aMessageWithoutPidNamesNoPatient() {
    String message =
        sample("ipf-pcd01_valid-pcd01-request.hl7v2").replaceAll("PID\\|[^\\r\\n]*[\\r\\n]+", "");
    assertThat(decoder.decode(message).patients()).isEmpty();
    assertThat(readings(message).readings()).hasSize(3);
  }

  @Test
  void readingsKeepTheirMdcCode() {
    DeviceReading systolic =
        readings(sample("ipf-continua-wan_valid-bp-continua-wan.hl7v2"))
            .readings()
            .getFirst()
            .reading();
    assertThat(systolic.mdcCode()).isEqualTo(150021);
  }
}
