package org.vigil.normalize.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.message.ACK;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of acknowledgement, parsed back with HAPI. */
class Pcd01AcknowledgementsTest {

  private final Pcd01Decoder decoder = new Pcd01Decoder(ZoneOffset.UTC);
  private final Pcd01Acknowledgements acks = new Pcd01Acknowledgements(decoder);
  private final Message request =
      decoder.parse(Pcd01DecoderTest.sample("ipf-pcd01_valid-pcd01-request.hl7v2"));

  private ACK parsedBack(Message ack) throws Exception {
    return (ACK) decoder.parse(decoder.hapi().getPipeParser().encode(ack));
  }

  @Test
  void acceptedEchoesTheControlIdAndListsWarnings() throws Exception {
    ACK ack =
        parsedBack(
            acks.accepted(
                request,
                List.of(
                    Hl7Problem.warning(
                        "OBX",
                        2,
                        3,
                        103,
                        "148065 MDC_ECG_V_P_C_CNT is not a quantity Vigil stores"))));

    assertThat(ack.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AA");
    assertThat(ack.getMSA().getMessageControlID().getValue()).isEqualTo("MSGID1234");
    assertThat(ack.getERRReps()).isEqualTo(1);
    assertThat(ack.getERR(0).getSeverity().getValue()).isEqualTo("W");
    assertThat(ack.getERR(0).getErrorLocation(0).getSegmentID().getValue()).isEqualTo("OBX");
    assertThat(ack.getERR(0).getErrorLocation(0).getSegmentSequence().getValue()).isEqualTo("2");
  }

  @Test
  void aContentErrorNamesSegmentFieldAndCode() throws Exception {
    ACK ack =
        parsedBack(
            acks.contentError(
                request, List.of(Hl7Problem.error("OBX", 4, 5, 102, "'eighty' is not a number"))));

    assertThat(ack.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AE");
    var err = ack.getERR(0);
    assertThat(err.getErrorLocation(0).getFieldPosition().getValue()).isEqualTo("5");
    assertThat(err.getHL7ErrorCode().getIdentifier().getValue()).isEqualTo("102");
    assertThat(err.getHL7ErrorCode().getNameOfCodingSystem().getValue()).isEqualTo("HL70357");
    assertThat(err.getSeverity().getValue()).isEqualTo("E");
    assertThat(err.getUserMessage().getValue()).isEqualTo("'eighty' is not a number");
  }

  @Test
  void aRejectionOfUnparseableTextSalvagesTheControlId() throws Exception {
    String ar =
        acks.reject(
            "MSH|^~\\&|X||||20260101||ORU^R01|CTRL-42|P|2.6\rOBX|broken\u0000",
            List.of(Hl7Problem.error("", 0, 0, 100, "not a readable HL7 v2 message")));

    ACK ack = (ACK) decoder.parse(ar);
    assertThat(ack.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AR");
    assertThat(ack.getMSA().getMessageControlID().getValue()).isEqualTo("CTRL-42");
    assertThat(ack.getERR(0).getUserMessage().getValue())
        .isEqualTo("not a readable HL7 v2 message");

    assertThat(
            ((ACK) decoder.parse(acks.reject("garbage", List.of())))
                .getMSA()
                .getAcknowledgmentCode()
                .getValue())
        .isEqualTo("AR");
  }
}
