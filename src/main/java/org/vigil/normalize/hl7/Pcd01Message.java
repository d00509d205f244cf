package org.vigil.normalize.hl7;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An IHE PCD-01 "Communicate PCD Data" message (HL7 v2.6 ORU^R01) as Vigil needs it: who sent it,
 * which patient it names, and each observation with its place in the device's containment tree.
 *
 * @param controlId MSH-10, echoed in the acknowledgement
 * @param sendingApplication MSH-3 (universal id where given: the gateway's EUI-64)
 * @param patients PID-3 identifiers, in order
 * @param observations every OBX, in order
 */
public record Pcd01Message(
    String controlId,
    String sendingApplication,
    List<PatientIdentifier> patients,
    List<Observation> observations) {

  /**
   * A PID-3 patient identifier.
   *
   * @param id CX-1
   * @param authority CX-4 namespace (the hospital)
   * @param type CX-5 (MR, PI, …)
   */
  public record PatientIdentifier(String id, String authority, String type) {}

  /**
   * One OBX.
   *
   * @param sequence which OBX of the message this is, from 1 (for error locations)
   * @param valueType OBX-2 ({@code NM} for numbers; empty for device and compound rows)
   * @param code OBX-3 identifier
   * @param codeName OBX-3 text
   * @param codeSystem OBX-3 coding system ({@code MDC})
   * @param containment OBX-4, the position in the device's containment tree ({@code 1.0.1.1})
   * @param value OBX-5 as sent
   * @param unitCode OBX-6 identifier
   * @param unitSystem OBX-6 coding system ({@code MDC} or {@code UCUM})
   * @param time OBX-14, or the nearest ancestor's, or OBR-7
   * @param equipment OBX-18, or the nearest ancestor's (the device that measured it)
   */
  public record Observation(
      int sequence,
      String valueType,
      String code,
      String codeName,
      String codeSystem,
      String containment,
      String value,
      String unitCode,
      String unitSystem,
      Optional<Instant> time,
      Optional<String> equipment) {}
}
