package org.vigil.simulate;

import java.nio.charset.StandardCharsets;

/**
 * Messages a broken or misconfigured device sends: Vigil must refuse every one of them (HTTP 400,
 * MQTT 5 {@code 0x83}) and keep it as a dead letter, and never store a reading from it.
 */
final class Garbage {

  private static final String[] PAYLOADS = {
    // cut off mid-message, as a device that lost power while writing
    "{\"measurements\":[{\"code\":\"8867-4\",\"value\":",
    // a value that is not a number
    "{\"measurements\":[{\"code\":\"8867-4\",\"value\":\"high\",\"unit\":\"/min\"}]}",
    // a code no catalog knows
    "{\"measurements\":[{\"code\":\"0000-0\",\"value\":1,\"unit\":\"/min\"}]}",
    // a unit that is not one of the vital's
    "{\"measurements\":[{\"code\":\"8867-4\",\"value\":72,\"unit\":\"furlongs\"}]}",
    // not JSON at all: a serial line's noise
    "\u0002\u0017\u007f\u0011\u0003garbled\u0004"
  };

  static final int KINDS = PAYLOADS.length;

  private Garbage() {}

  private static final String[] HL7 = {
    // a value that is not a number
    "OBX|1|NM|8867-4^heartRate^LN||high|/min^/min^UCUM|||||R",
    // a unit that is not one of the vital's
    "OBX|1|NM|8867-4^heartRate^LN||72|furlongs^furlongs^UCUM|||||R"
  };

  /** An ORU^R01 that parses as HL7 but whose content Vigil must refuse (ACK AE). */
  static byte[] hl7(int kind, String deviceId) {
    // OBX-18 names the device, so the only thing wrong is the value or the unit.
    return ("MSH|^~\\&|VIGIL-SIMULATOR|WARD|VIGIL|HOSP|20260101000000+0000||ORU^R01^ORU_R01|garbage-"
            + kind
            + "|P|2.6\rOBR|1\r"
            + HL7[kind % HL7.length]
            + "|||||||"
            + deviceId
            + "\r")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] payload(int kind) {
    return PAYLOADS[kind].getBytes(StandardCharsets.UTF_8);
  }
}
