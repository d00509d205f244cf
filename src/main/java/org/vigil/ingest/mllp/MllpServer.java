package org.vigil.ingest.mllp;

import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The HL7 v2 listener (MLLP framing, HAPI's server): every message gets an acknowledgement on the
 * same connection — a bad one an AE or AR — and the connection stays open for the next.
 */
final class MllpServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MllpServer.class);

  private final MllpProperties settings;
  private final Pcd01Handler handler;
  private volatile HL7Service server;

  MllpServer(MllpProperties settings, Pcd01Handler handler) {
    this.settings = settings;
    this.handler = handler;
  }

  @Override
  public void start() {
    HL7Service service = handler.decoder().hapi().newServer(settings.port(), false);
    ReceivingApplication<Message> application =
        new ReceivingApplication<>() {
          @Override
          public Message processMessage(Message message, Map<String, Object> metadata) {
            return handler.handle(message);
          }

          @Override
          public boolean canProcess(Message message) {
            return true;
          }
        };
    service.registerApplication("*", "*", application);
    // Text HAPI cannot parse never reaches the application: answer it here, with an AR.
    service.setExceptionHandler(
        (incoming, metadata, outgoing, exception) -> handler.unparseable(incoming, exception));
    try {
      service.startAndWait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the MLLP listener", e);
    }
    server = service;
    log.info("HL7 v2 (MLLP) listening on port {}", settings.port());
  }

  @Override
  public void stop() {
    HL7Service running = server;
    server = null;
    if (running != null) {
      running.stopAndWait();
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  @Override
  public int getPhase() {
    return DEFAULT_PHASE - 2048;
  }
}
