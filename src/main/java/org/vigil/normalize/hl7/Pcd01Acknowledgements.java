package org.vigil.normalize.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.model.v26.segment.ERR;
import ca.uhn.hl7v2.preparser.PreParser;
import java.io.IOException;
import java.util.List;

/**
 * Builds the acknowledgements Vigil answers PCD-01 messages with (HL7 v2.6 ACK^R01): MSA-1 AA when
 * the readings are durable (with ERR warnings for observations not stored), AE when the content is
 * wrong, AR when the message cannot be processed — each ERR naming where (ERR-2), the HL7 table
 * 0357 code (ERR-3), the severity (ERR-4) and what is wrong in words (ERR-8).
 */
public final class Pcd01Acknowledgements {

  private final Pcd01Decoder decoder;

  public Pcd01Acknowledgements(Pcd01Decoder decoder) {
    this.decoder = decoder;
  }

  public Message accepted(Message in, List<Hl7Problem> warnings) {
    return acknowledge(in, AcknowledgmentCode.AA, warnings);
  }

  public Message contentError(Message in, List<Hl7Problem> errors) {
    return acknowledge(in, AcknowledgmentCode.AE, errors);
  }

  public Message rejected(Message in, List<Hl7Problem> problems) {
    return acknowledge(in, AcknowledgmentCode.AR, problems);
  }

  private Message acknowledge(Message in, AcknowledgmentCode code, List<Hl7Problem> problems) {
    try {
      Message ack = in.generateACK(code, null);
      if (ack instanceof ACK v26) {
        addErrors(v26, problems);
        return v26;
      }
      // An earlier version's structures: answer in 2.6 anyway, MSA from the original.
      return standalone(code, controlId(in), problems);
    } catch (HL7Exception | IOException e) {
      return standalone(code, controlId(in), problems);
    }
  }

  /**
   * An AR for text that could not be parsed at all: whatever can be salvaged of its MSH (the
   * control id) is echoed. Never throws.
   */
  public String reject(String incoming, List<Hl7Problem> problems) {
    String controlId = "";
    try {
      String[] fields = PreParser.getFields(incoming, "MSH-10");
      controlId = fields.length > 0 && fields[0] != null ? fields[0] : "";
    } catch (HL7Exception | RuntimeException e) {
      // nothing to salvage
    }
    try {
      return decoder
          .hapi()
          .getPipeParser()
          .encode(standalone(AcknowledgmentCode.AR, controlId, problems));
    } catch (HL7Exception e) {
      return "MSH|^~\\&|Vigil||||||ACK|"
          + System.nanoTime()
          + "|P|2.6\rMSA|AR|"
          + controlId.replace("|", "")
          + "\r";
    }
  }

  private ACK standalone(AcknowledgmentCode code, String controlId, List<Hl7Problem> problems) {
    try {
      ACK ack = new ACK();
      ack.setParser(decoder.hapi().getPipeParser());
      ack.initQuickstart("ACK", "R01", "P");
      ack.getMSH().getSendingApplication().getNamespaceID().setValue("Vigil");
      ack.getMSA().getAcknowledgmentCode().setValue(code.name());
      ack.getMSA().getMessageControlID().setValue(controlId);
      addErrors(ack, problems);
      return ack;
    } catch (HL7Exception | IOException e) {
      throw new IllegalStateException("cannot build an HL7 acknowledgement", e);
    }
  }

  private static void addErrors(ACK ack, List<Hl7Problem> problems) throws HL7Exception {
    int index = 0;
    for (Hl7Problem problem : problems) {
      ERR err = ack.getERR(index++);
      if (!problem.segment().isEmpty()) {
        err.getErrorLocation(0).getSegmentID().setValue(problem.segment());
        err.getErrorLocation(0)
            .getSegmentSequence()
            .setValue(String.valueOf(Math.max(1, problem.sequence())));
        if (problem.field() > 0) {
          err.getErrorLocation(0).getFieldPosition().setValue(String.valueOf(problem.field()));
        }
      }
      err.getHL7ErrorCode().getIdentifier().setValue(String.valueOf(problem.code()));
      err.getHL7ErrorCode().getNameOfCodingSystem().setValue("HL70357");
      err.getSeverity().setValue(problem.error() ? "E" : "W");
      err.getUserMessage().setValue(problem.message());
    }
  }

  private static String controlId(Message in) {
    try {
      return PreParser.getFields(in.encode(), "MSH-10")[0];
    } catch (HL7Exception | RuntimeException e) {
      return "";
    }
  }
}
