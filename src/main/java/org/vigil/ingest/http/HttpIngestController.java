package org.vigil.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.api.ApiException;
import org.vigil.ingest.DeadLetters;
import org.vigil.ingest.DeviceContent;
import org.vigil.ingest.DeviceEnvelope;
import org.vigil.ingest.DeviceEvents;
import org.vigil.ingest.IngestProperties;
import org.vigil.ingest.IngestService;
import org.vigil.log.IngestLogUnavailableException;
import org.vigil.normalize.InvalidMessageException;

/**
 * The HTTP transport: a device posts native JSON ({@code POST /api/v1/ingest/{deviceId}}) or the
 * raw value of a Bluetooth GATT characteristic ({@code POST /api/v1/ingest/{deviceId}/gatt/{uuid}})
 * with its own bearer token, and hears 202 with the count of readings only once they are durable.
 */
@RestController
class HttpIngestController {

  static final String TRANSPORT = "http";

  private final IngestService ingest;
  private final IngestProperties limits;
  private final DeviceEvents events;
  private final DeadLetters deadLetters;
  private final Clock clock = Clock.systemUTC();

  HttpIngestController(
      IngestService ingest, IngestProperties limits, DeviceEvents events, DeadLetters deadLetters) {
    this.ingest = ingest;
    this.limits = limits;
    this.events = events;
    this.deadLetters = deadLetters;
  }

  /** What a device hears back for an event: stored, with the type Vigil read. */
  record EventReceipt(String type, String time) {}

  /**
   * A device or dispenser event, as on MQTT {@code devices/{id}/events}: 201 once stored; an event
   * Vigil cannot read is answered 400 naming the problem and kept as a dead letter.
   */
  @PostMapping(
      path = "/api/v1/ingest/{deviceId}/events",
      consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<EventReceipt> event(
      @PathVariable String deviceId, Authentication device, InputStream body) throws IOException {
    if (!deviceId.equals(device.getName())) {
      throw new ApiException(
          HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, "a device may only send its own events");
    }
    byte[] payload = readAtMost(body, limits.maxPayloadBytes());
    var receivedAt = clock.instant();
    try {
      DeviceEvents.DeviceEvent stored = events.record(deviceId, payload, receivedAt);
      return ResponseEntity.status(HttpStatus.CREATED)
          .body(new EventReceipt(stored.type(), stored.occurredAt().toString()));
    } catch (InvalidMessageException e) {
      ingest.rejected(TRANSPORT, "invalid");
      deadLetters.record(deviceId, TRANSPORT, "events", payload, receivedAt, e.getMessage());
      throw e;
    }
  }

  /** What a device hears back: how many readings are now durable. */
  record Receipt(int accepted) {}

  @PostMapping(
      path = "/api/v1/ingest/{deviceId}",
      consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Receipt> json(
      @PathVariable String deviceId, Authentication device, InputStream body)
      throws IOException, InterruptedException {
    return accept(deviceId, device, DeviceContent.JSON, body);
  }

  @PostMapping(
      path = "/api/v1/ingest/{deviceId}/gatt/{characteristic}",
      consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Receipt> gatt(
      @PathVariable String deviceId,
      @PathVariable String characteristic,
      Authentication device,
      InputStream body)
      throws IOException, InterruptedException {
    if (!DeviceContent.Gatt.isValid(characteristic)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.INVALID,
          "'" + characteristic + "' is not a 16-bit GATT characteristic UUID (e.g. 2A37)");
    }
    return accept(deviceId, device, new DeviceContent.Gatt(characteristic), body);
  }

  private ResponseEntity<Receipt> accept(
      String deviceId, Authentication device, DeviceContent content, InputStream body)
      throws IOException, InterruptedException {
    if (!deviceId.equals(device.getName())) {
      // The device filter already binds the token to the path; this guards against a change there.
      throw new ApiException(
          HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, "a device may only send its own readings");
    }
    byte[] payload = readAtMost(body, limits.maxPayloadBytes());
    var envelope = new DeviceEnvelope(deviceId, TRANSPORT, content, payload, clock.instant());
    try {
      int accepted =
          ingest.accept(envelope).get(limits.durableTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Receipt(accepted));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IngestLogUnavailableException unavailable) {
        throw unavailable;
      }
      throw new IngestLogUnavailableException("the readings could not be stored; retry", e);
    } catch (TimeoutException e) {
      ingest.rejected(TRANSPORT, "timeout");
      throw new IngestLogUnavailableException(
          "the readings were not confirmed durable within "
              + limits.durableTimeout().toSeconds()
              + " s; retry (a retry of stored readings is not stored twice)");
    }
  }

  private byte[] readAtMost(InputStream body, int limit) throws IOException {
    byte[] payload = body.readNBytes(limit + 1);
    if (payload.length > limit) {
      ingest.rejected(TRANSPORT, "too-large");
      throw new ApiException(
          HttpStatus.CONTENT_TOO_LARGE,
          IssueType.TOOLONG,
          "the message is larger than " + limit + " bytes; split it");
    }
    return payload;
  }
}
