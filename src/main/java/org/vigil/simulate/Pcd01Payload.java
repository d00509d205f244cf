package org.vigil.simulate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Readings as an IHE PCD-01 {@code ORU^R01} (HL7 v2.6): one OBX per reading with its LOINC code,
 * UCUM unit, observation time (OBX-14) and the device (OBX-18).
 */
final class Pcd01Payload {

  private static final DateTimeFormatter HL7_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ").withZone(ZoneOffset.UTC);

  private Pcd01Payload() {}

  static byte[] of(
      PlayedDevice device, List<Simulation.Reading> readings, Duration skew, long controlId) {
    Instant sent = readings.getLast().at().plus(skew);
    StringBuilder hl7 = new StringBuilder(128 + 110 * readings.size());
    hl7.append("MSH|^~\\&|VIGIL-SIMULATOR|WARD|VIGIL|HOSP|")
        .append(HL7_TIME.format(sent))
        .append("||ORU^R01^ORU_R01|")
        .append(device.id())
        .append('-')
        .append(controlId)
        .append("|P|2.6\r");
    // No PID: Vigil reads PID-3 as the hospital's medical record number, which a device does not
    // know; without it the readings go to the patient the device (OBX-18) is assigned to.
    hl7.append("OBR|1\r");
    for (int i = 0; i < readings.size(); i++) {
      Simulation.Reading r = readings.get(i);
      hl7.append("OBX|")
          .append(i + 1)
          .append("|NM|")
          .append(r.vital().code())
          .append('^')
          .append(r.vital().jsonName())
          .append("^LN||");
      if (r.value() == Math.rint(r.value())) {
        hl7.append((long) r.value());
      } else {
        hl7.append(r.value());
      }
      hl7.append('|')
          .append(r.vital().unit())
          .append('^')
          .append(r.vital().unit())
          .append("^UCUM|||||R|||")
          .append(HL7_TIME.format(r.at().plus(skew)))
          .append("||||")
          .append(device.id())
          .append('\r');
    }
    return hl7.toString().getBytes(StandardCharsets.UTF_8);
  }
}
