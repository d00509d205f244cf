package org.vigil.normalize.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v26.datatype.CX;
import ca.uhn.hl7v2.model.v26.datatype.EI;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.MSH;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads IHE PCD-01 messages (HL7 v2.6 ORU^R01, from bedside monitors, gateways and Continua
 * personal health devices) with the HAPI HL7 v2 library. Earlier 2.x versions parse into the 2.6
 * structures. Observation times and equipment are inherited down the device's containment tree as
 * PCD-01 specifies: an OBX without a time takes its nearest ancestor's (by OBX-4), then OBR-7; an
 * OBX without OBX-18 takes its nearest ancestor's equipment identifier.
 */
public final class Pcd01Decoder {

  private final HapiContext hapi;
  private final ZoneId deviceZone;

  public Pcd01Decoder(ZoneId deviceZone) {
    this.deviceZone = deviceZone;
    this.hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.6"));
    // Vigil checks what it needs itself and says precisely what is wrong; HAPI's generic
    // validation would refuse whole messages over fields Vigil does not read.
    this.hapi.setValidationContext(ValidationContextFactory.noValidation());
  }

  /** The HAPI context Vigil parses with; the MLLP server shares it. */
  public HapiContext hapi() {
    return hapi;
  }

  public ZoneId deviceZone() {
    return deviceZone;
  }

  /**
   * @throws Pcd01Rejected when the text is not an HL7 v2 message
   */
  public Message parse(String er7) {
    try {
      return hapi.getPipeParser().parse(er7);
    } catch (HL7Exception | RuntimeException e) {
      throw new Pcd01Rejected(
          Hl7Problem.error(
              "",
              0,
              0,
              Hl7Problem.SEGMENT_SEQUENCE_ERROR,
              "not a readable HL7 v2 message: " + e.getMessage()));
    }
  }

  public Pcd01Message decode(String er7) {
    return decode(parse(er7));
  }

  /**
   * @throws Pcd01Rejected when the message is not an ORU^R01
   */
  public Pcd01Message decode(Message message) {
    if (!(message instanceof ORU_R01 oru)) {
      throw new Pcd01Rejected(
          Hl7Problem.error(
              "MSH",
              1,
              9,
              Hl7Problem.UNSUPPORTED_MESSAGE_TYPE,
              "Vigil reads ORU^R01 (IHE PCD-01) messages, not " + message.getName()));
    }
    try {
      return decode(oru);
    } catch (HL7Exception | RuntimeException e) {
      throw new Pcd01Rejected(
          Hl7Problem.error(
              "",
              0,
              0,
              Hl7Problem.APPLICATION_INTERNAL_ERROR,
              "unreadable structure: " + e.getMessage()));
    }
  }

  private Pcd01Message decode(ORU_R01 oru) throws HL7Exception {
    MSH msh = oru.getMSH();
    String controlId = text(msh.getMessageControlID().getValue());
    String sender =
        first(
            text(msh.getSendingApplication().getUniversalID().getValue()),
            text(msh.getSendingApplication().getNamespaceID().getValue()));
    List<Pcd01Message.PatientIdentifier> patients = new ArrayList<>();
    List<Pcd01Message.Observation> observations = new ArrayList<>();
    int sequence = 0;
    for (ORU_R01_PATIENT_RESULT result : oru.getPATIENT_RESULTAll()) {
      for (CX cx : result.getPATIENT().getPID().getPatientIdentifierList()) {
        String id = text(cx.getIDNumber().getValue());
        if (!id.isEmpty()) {
          patients.add(
              new Pcd01Message.PatientIdentifier(
                  id,
                  text(cx.getAssigningAuthority().getNamespaceID().getValue()),
                  text(cx.getIdentifierTypeCode().getValue())));
        }
      }
      for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
        Optional<Instant> orderTime =
            Hl7Timestamps.parse(order.getOBR().getObservationDateTime().getValue(), deviceZone);
        Map<String, Optional<Instant>> times = new HashMap<>();
        Map<String, Optional<String>> equipment = new HashMap<>();
        for (ORU_R01_OBSERVATION observation : order.getOBSERVATIONAll()) {
          OBX obx = observation.getOBX();
          if (obx.isEmpty()) {
            continue;
          }
          sequence++;
          String containment = text(obx.getObservationSubID().getValue());
          Optional<Instant> ownTime =
              Hl7Timestamps.parse(obx.getDateTimeOfTheObservation().getValue(), deviceZone);
          Optional<String> ownEquipment = equipment(obx);
          times.put(containment, ownTime);
          equipment.put(containment, ownEquipment);
          Optional<Instant> time =
              ownTime.isPresent() ? ownTime : inherited(times, containment).or(() -> orderTime);
          Optional<String> device =
              ownEquipment.isPresent() ? ownEquipment : inherited(equipment, containment);
          observations.add(
              new Pcd01Message.Observation(
                  sequence,
                  text(obx.getValueType().getValue()),
                  text(obx.getObservationIdentifier().getIdentifier().getValue()),
                  text(obx.getObservationIdentifier().getText().getValue()),
                  text(obx.getObservationIdentifier().getNameOfCodingSystem().getValue()),
                  containment,
                  value(obx.getObservationValue()),
                  text(obx.getUnits().getIdentifier().getValue()),
                  text(obx.getUnits().getNameOfCodingSystem().getValue()),
                  time,
                  device));
        }
      }
    }
    return new Pcd01Message(controlId, sender, List.copyOf(patients), List.copyOf(observations));
  }

  /** The value of the nearest ancestor in the containment tree that has one. */
  private static <T> Optional<T> inherited(
      Map<String, Optional<T>> byContainment, String containment) {
    String node = containment;
    while (node.contains(".")) {
      node = node.substring(0, node.lastIndexOf('.'));
      Optional<T> value = byContainment.getOrDefault(node, Optional.empty());
      if (value.isPresent()) {
        return value;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> equipment(OBX obx) {
    for (EI ei : obx.getEquipmentInstanceIdentifier()) {
      String id = text(ei.getEntityIdentifier().getValue());
      if (!id.isEmpty()) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  private static String value(Varies[] values) throws HL7Exception {
    return values.length == 0 || values[0].getData() == null
        ? ""
        : text(values[0].getData().encode());
  }

  private static String text(String value) {
    return value == null ? "" : value.strip();
  }

  private static String first(String a, String b) {
    return a.isEmpty() ? b : a;
  }
}
