package org.vigil.ingest.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.ingest.DeadLetters;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;

/**
 * HL7 v2 over MLLP with HAPI's own MLLP client: IHE PCD-01 and Continua messages from the IPF
 * samples acknowledged AA once durable and read back through FHIR with their MDC coding; content
 * errors answered AE with ERR segments, unprocessable messages AR — and the connection stays open
 * for the next message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MllpIngestIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired DeadLetters deadLetters;

  private final HapiContext hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.6"));
  private Connection connection;
  private String readToken;

  @BeforeAll
  void connectAsAGateway() throws Exception {
    patients.save(
        new Patient(
            "hl7-patient-1",
            "789567",
            "Doe",
            "John",
            Optional.of(LocalDate.of(1960, 2, 3)),
            "male",
            Optional.of("ICU"),
            Optional.of("Bed 2"),
            Instant.now()));
    patients.save(
        new Patient(
            "hl7-patient-2",
            "AB60001",
            "Brooks",
            "Albert",
            Optional.empty(),
            "male",
            Optional.of("ICU"),
            Optional.of("Bed 3"),
            Instant.now()));
    devices.register("0123456789ABCDEF", "bp-monitor", "Continua BP monitor");
    devices.register("080019FFFF4F6AC0", "monitor-gateway", "Bedside monitor gateway");
    hapi.setValidationContext(ca.uhn.hl7v2.validation.impl.ValidationContextFactory.noValidation());
    connection = hapi.newClient("127.0.0.1", MLLP_PORT, false);
    connection.getInitiator().setTimeout(30, TimeUnit.SECONDS);
    String secret =
        clients.register("hl7-reader", Set.of("system/*.rs", "system/Device.u"), "test");
    readToken = api().token("hl7-reader", secret, null);
  }

  @AfterAll
  void disconnect() throws Exception {
    connection.close();
    hapi.close();
  }

  private ACK send(String text) throws Exception {
    Message message = hapi.getPipeParser().parse(text.replace("\n", "\r"));
    return (ACK) connection.getInitiator().sendAndReceive(message);
  }

  private static String sample(String name) throws Exception {
    try (InputStream in = MllpIngestIT.class.getResourceAsStream("/hl7v2/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private List<Observation> observations(String patient, String code) {
    Bundle bundle =
        api()
            .fhir(readToken)
            .search()
            .forResource(Observation.class)
            .where(Observation.PATIENT.hasId(patient))
            .and(Observation.CODE.exactly().systemAndCode("http://loinc.org", code))
            .returnBundle(Bundle.class)
            .execute();
    List<Observation> found =
        bundle.getEntry().stream().map(e -> (Observation) e.getResource()).toList();
    ProfileValidator.assertValid(found);
    return found;
  }

  @Test
  void aPcd01BloodPressureIsAcknowledgedAaAndReadBackWithItsMdcCode() throws Exception {
    ACK ack = send(sample("ipf-pcd01_valid-pcd01-request.hl7v2"));

    assertThat(ack.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AA");
    assertThat(ack.getMSA().getMessageControlID().getValue()).isEqualTo("MSGID1234");
    Observation systolic =
        observations("hl7-patient-1", "8480-6").stream()
            .filter(
                o -> o.getEffectiveDateTimeType().getValueAsString().equals("2009-08-13T04:57:15Z"))
            .findFirst()
            .orElseThrow();
    assertThat(systolic.getValueQuantity().getValue()).isEqualByComparingTo("120");
    assertThat(systolic.getValueQuantity().getCode()).isEqualTo("mm[Hg]");
    assertThat(systolic.getDevice().getReference()).isEqualTo("Device/0123456789ABCDEF");
    assertThat(systolic.getCode().getCoding())
        .anySatisfy(c -> {
          assertThat(c.getSystem()).isEqualTo("urn:iso:std:iso:11073:10101");
          assertThat(c.getCode()).isEqualTo("150021");
        });
  }

  @Test
  void continuaDevicesAreConvertedAndWhatIsNotStoredIsSaid() throws Exception {
    ACK thermometer = send(sample("ipf-continua-wan_valid-thermometer-continua-wan.hl7v2"));
    assertThat(thermometer.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AA");
    assertThat(observations("hl7-patient-1", "8310-5"))
        .anySatisfy(o -> assertThat(o.getValueQuantity().getValue()).isEqualByComparingTo("37"));

    ACK glucose = send(sample("ipf-continua-wan_valid-glucose-continua-wan.hl7v2"));
    assertThat(glucose.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AA");
    assertThat(glucose.getERRReps()).isEqualTo(4);
    assertThat(glucose.getERR(0).getSeverity().getValue()).isEqualTo("W");
    assertThat(observations("hl7-patient-1", "41653-7"))
        .anySatisfy(o -> assertThat(o.getValueQuantity().getValue()).isEqualByComparingTo("37.5"));

    assertThat(
            send(sample("ipf-continua-wan_valid-scale-continua-wan.hl7v2"))
                .getMSA()
                .getAcknowledgmentCode()
                .getValue())
        .isEqualTo("AA");
    assertThat(observations("hl7-patient-1", "39156-5")).isNotEmpty();
  }

  @Test
  void aGatewayMessageWithUcumUnitsGoesToThePatientInPid() throws Exception {
    ACK ack = send(sample("ipf-pcd01_valid-pcd01-request2.hl7v2"));

    assertThat(ack.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AA");
    assertThat(ack.getERRReps())
        .as("the arterial and pulmonary pressures are not stored")
        .isEqualTo(7);
    assertThat(observations("hl7-patient-2", "8867-4")).hasSize(2);
  }

  @Test
  void aNonNumericValueIsAnAeAndTheConnectionStaysOpen() throws Exception {
    String bad =
        sample("ipf-pcd01_valid-pcd01-request.hl7v2")
            .replace("|1.0.1.2|80|", "|1.0.1.2|eighty|")
            .replace("MSGID1234", "MSGID-BAD");
    ACK ack = send(bad);

    assertThat(ack.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AE");
    assertThat(ack.getMSA().getMessageControlID().getValue()).isEqualTo("MSGID-BAD");
    var err = ack.getERR(0);
    assertThat(err.getErrorLocation(0).getSegmentID().getValue()).isEqualTo("OBX");
    assertThat(err.getErrorLocation(0).getSegmentSequence().getValue()).isEqualTo("4");
    assertThat(err.getErrorLocation(0).getFieldPosition().getValue()).isEqualTo("5");
    assertThat(err.getHL7ErrorCode().getIdentifier().getValue()).isEqualTo("102");

    assertThat(
            send(sample("ipf-continua-wan_valid-oximeter-continua-wan.hl7v2"))
                .getMSA()
                .getAcknowledgmentCode()
                .getValue())
        .as("the same connection takes the next message")
        .isEqualTo("AA");
  }

  @Test
  void anUnknownPatientIsAnAeNamingPid3() throws Exception {
    ACK ack =
        send(
            sample("ipf-pcd01_valid-pcd01-request.hl7v2")
                .replace("789567^^^Imaginary", "000000^^^Imaginary"));

    assertThat(ack.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AE");
    assertThat(ack.getERR(0).getErrorLocation(0).getSegmentID().getValue()).isEqualTo("PID");
    assertThat(ack.getERR(0).getErrorLocation(0).getFieldPosition().getValue()).isEqualTo("3");
    assertThat(ack.getERR(0).getUserMessage().getValue()).contains("000000");
  }

  @Test
  void withoutPidTheDevicesAssignmentDecides() throws Exception {
    new TestWard(patients, devices).device("EUI64-NO-PID-1", "bp-monitor", "hl7-patient-3");
    String message =
        sample("ipf-pcd01_valid-pcd01-request.hl7v2")
            .replaceAll("PID\\|[^\\r\\n]*[\\r\\n]+", "")
            .replace("0123456789ABCDEF^EUI-64", "EUI64-NO-PID-1^EUI-64")
            .replace("20090813095715+0500", "20261124080000+0000");

    assertThat(send(message).getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AA");
    assertThat(observations("hl7-patient-3", "8462-4")).hasSize(1);
  }

  @Test
  void otherMessageTypesAreRejectedAr() throws Exception {
    String adt =
        "MSH|^~\\&|ADT|HOSP|||20260101120000||ADT^A01^ADT_A01|ADT-1|P|2.6\rEVN|A01|20260101120000\rPID|||1^^^H^MR||Doe^Jane";
    ACK ack = send(adt);
    assertThat(ack.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AR");
    assertThat(ack.getERR(0).getHL7ErrorCode().getIdentifier().getValue()).isEqualTo("200");
  }

  @Test
  void unparseableTextGetsAnArAndTheConnectionSurvives() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", MLLP_PORT)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (String text :
          List.of(
              "MSH|^~\\&|X||||20260101||ORU^R01|GARBAGE-1|P|2.6\rOBX|1|NM|\u0001\u0002|||",
              "this is not HL7 at all")) {
        out.write(0x0b);
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write(new byte[] {0x1c, 0x0d});
        out.flush();
        String answer = readFrame(in);
        assertThat(answer).startsWith("MSH|").contains("MSA|A");
      }
      // still open: a good message on the same socket is acknowledged
      out.write(0x0b);
      out.write(
          sample("ipf-continua-wan_valid-oximeter-continua-wan.hl7v2")
              .replace("\n", "\r")
              .getBytes(StandardCharsets.UTF_8));
      out.write(new byte[] {0x1c, 0x0d});
      out.flush();
      assertThat(readFrame(in)).contains("MSA|AA");
    }
  }

  @Test
  void aDeadLetterFromAnUnknownDeviceIsReplayedOnceTheDeviceIsRegistered() throws Exception {
    String message =
        sample("ipf-continua-wan_valid-oximeter-continua-wan.hl7v2")
            .replace("0123456789ABCDEF^EUI-64", "NEW-OXIMETER-7^EUI-64")
            .replace("MSGID1234", "MSG-REPLAY");
    ACK ack = send(message);
    assertThat(ack.getMSA().getAcknowledgmentCode().getValue()).isEqualTo("AE");
    assertThat(ack.getERR(0).getUserMessage().getValue()).contains("NEW-OXIMETER-7");

    var letter = deadLetters.list(Optional.of("NEW-OXIMETER-7"), 0, 1).getFirst();
    assertThat(letter.content()).isEqualTo("hl7v2");
    devices.register("NEW-OXIMETER-7", "pulse-oximeter", "New oximeter");

    var replayed = api().postJson("/api/v1/dead-letters/" + letter.id() + "/replay", readToken, "");
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
    assertThat(VigilApi.json(replayed.body()).path("stored").asBoolean()).isTrue();
  }

  private static String readFrame(InputStream in) throws Exception {
    StringBuilder text = new StringBuilder();
    int b = in.read();
    while (b != 0x0b) {
      if (b == -1) {
        throw new AssertionError("the server closed the connection");
      }
      b = in.read();
    }
    while ((b = in.read()) != 0x1c) {
      if (b == -1) {
        throw new AssertionError("the server closed the connection mid-answer");
      }
      text.append((char) b);
    }
    in.read(); // the closing 0x0d
    return text.toString();
  }
}
