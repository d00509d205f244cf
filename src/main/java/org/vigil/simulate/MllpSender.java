package org.vigil.simulate;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * HL7 v2 over MLLP, as a bedside monitor or its gateway sends IHE PCD-01 {@code ORU^R01} messages
 * (docs/CONNECTIVITY.md), with HAPI's MLLP client on one connection. {@code MSA-1 = AA} is
 * accepted; {@code AR} ("could not process, send again") is retried a few times; {@code AE} is a
 * refusal. MLLP has no credentials: the device is named in OBX-18, and Vigil files the readings
 * under the patient it is assigned to.
 */
final class MllpSender implements Sender {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HapiContext hapi = new DefaultHapiContext();
  private final String host;
  private final int port;

  /**
   * @param listener {@code mllp://host:port}
   */
  MllpSender(URI listener) {
    if (!"mllp".equals(listener.getScheme()) || listener.getHost() == null) {
      throw new IllegalArgumentException("--mllp: expected mllp://host:port, got " + listener);
    }
    this.host = listener.getHost();
    this.port = listener.getPort() < 0 ? 2575 : listener.getPort();
    // What the simulator sends is checked by Vigil, not by the client before it leaves.
    hapi.setValidationContext(ValidationContextFactory.noValidation());
  }

  @Override
  public Delivery deliverEvent(PlayedDevice device, byte[] payload) {
    // Scenario refuses dispensers on MLLP: PCD-01 carries observations, not device events
    return Delivery.refused("HL7 v2 carries no device events", 0);
  }

  @Override
  public Delivery deliver(PlayedDevice device, byte[] payload, int readings) {
    String lastProblem = "";
    for (int attempt = 0; attempt < HttpSender.ATTEMPTS; attempt++) {
      Message message;
      try {
        message = hapi.getPipeParser().parse(new String(payload, StandardCharsets.UTF_8));
      } catch (HL7Exception e) {
        // Garbage the client cannot even frame as HL7: a broken device's bytes never leave it.
        return Delivery.refused("HL7 unparseable by the client", attempt);
      }
      try {
        Connection connection = hapi.newClient(host, port, false);
        connection.getInitiator().setTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Message ack = connection.getInitiator().sendAndReceive(message);
        String code = new Terser(ack).get("/MSA-1");
        if ("AA".equals(code)) {
          return Delivery.accepted(readings, attempt);
        }
        if ("AR".equals(code)) {
          lastProblem = "HL7 AR";
          pause(Duration.ofMillis(500L << attempt));
          continue;
        }
        // ERR-3 is HL7 table 0357's code (102 data type error, 103 table value not found, …):
        // what went wrong, in a form that counts well; ERR-8 says it in words.
        String error = new Terser(ack).get("/ERR-3-1");
        return Delivery.refused(
            "HL7 "
                + code
                + (error == null ? "" : " " + error)
                + " "
                + new Terser(ack).get("/ERR-8"),
            attempt);
      } catch (HL7Exception | LLPException | IOException e) {
        lastProblem = "MLLP " + e.getClass().getSimpleName();
        pause(Duration.ofMillis(250L << attempt));
      }
    }
    return lastProblem.equals("HL7 AR")
        ? Delivery.refused("HL7 AR after " + HttpSender.ATTEMPTS + " attempts", 4)
        : Delivery.failed(lastProblem, HttpSender.ATTEMPTS - 1);
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void disconnect(PlayedDevice device) {
    // One connection serves every device of this listener, as a gateway's would.
  }

  @Override
  public void close() {
    try {
      hapi.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }
}
