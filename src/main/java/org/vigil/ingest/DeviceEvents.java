package org.vigil.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.device.DeviceRegistry;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Device and dispenser events ({@code devices/{id}/events}): a JSON object with a {@code type}
 * ("compartment-opened", "dose-dispensed", "dose-missed", "refill-needed", "probe-off", …) and a
 * {@code time}, kept as sent with the patient the device served at that time. What the events mean
 * is for the features that read them (medication adherence, technical alarms).
 */
@Service
public class DeviceEvents {

  static final int MAX_BODY = 8000;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final DeviceRegistry devices;
  private final EventTemplates templates;
  private final List<DeviceEventListener> listeners;
  private final JsonMapper json =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  DeviceEvents(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      DeviceRegistry devices,
      EventTemplates templates,
      List<DeviceEventListener> listeners) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.devices = devices;
    this.templates = templates;
    this.listeners = List.copyOf(listeners);
  }

  /** An event as stored. */
  public record DeviceEvent(
      String deviceId, String patientId, String type, Instant occurredAt, String body) {}

  /**
   * Validates and stores one event — native, or a vendor's read through an {@link EventTemplates
   * event template} for the device's type — and tells the {@link DeviceEventListener listeners} in
   * the same transaction; durable when this returns.
   *
   * @throws InvalidMessageException when it is not an event Vigil can read, or a listener finds it
   *     cannot mean what it says (then nothing is stored)
   */
  public DeviceEvent record(String deviceId, byte[] payload, Instant receivedAt) {
    List<MessageProblem> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = json.readTree(payload);
    } catch (JacksonException e) {
      throw new InvalidMessageException(MessageProblem.ofMessage("malformed JSON"));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidMessageException(
          MessageProblem.ofMessage("an event is a JSON object with \"type\" and \"time\""));
    }
    String deviceType = devices.find(deviceId).map(d -> d.type()).orElse("");
    JsonNode translated =
        templates
            .translate(
                deviceType,
                root,
                new String(payload, java.nio.charset.StandardCharsets.UTF_8),
                receivedAt)
            .orElse(null);
    if (translated != null) {
      // the vendor's own event is kept beside what Vigil read from it
      ((tools.jackson.databind.node.ObjectNode) translated).set("vendor", root);
      root = translated;
    }
    String type = root.path("type").isString() ? root.path("type").stringValue() : null;
    if (type == null || type.isBlank() || type.length() > 100) {
      problems.add(new MessageProblem("type", "is required: a string of 1 to 100 characters"));
    }
    Instant occurredAt = receivedAt;
    JsonNode time = root.get("time");
    if (time != null && !time.isNull()) {
      try {
        occurredAt = OffsetDateTime.parse(time.asString()).toInstant();
      } catch (DateTimeParseException e) {
        problems.add(new MessageProblem("time", "must be an ISO 8601 date-time with a UTC offset"));
      }
    }
    String body = json.writeValueAsString(root);
    if (body.length() > MAX_BODY) {
      problems.add(MessageProblem.ofMessage("an event may be at most " + MAX_BODY + " characters"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidMessageException(problems);
    }
    String patientId = devices.patientAt(deviceId, occurredAt).orElse(null);
    DeviceEvent event = new DeviceEvent(deviceId, patientId, type, occurredAt, body);
    Instant at = occurredAt;
    transaction.executeWithoutResult(tx -> {
      jdbc.update(
          "insert into device_event (device_id, patient_id, type, occurred_at, received_at, body)"
              + " values (?, ?, ?, ?, ?, ?)",
          deviceId,
          patientId,
          type,
          OffsetDateTime.ofInstant(at, ZoneOffset.UTC),
          OffsetDateTime.ofInstant(receivedAt, ZoneOffset.UTC),
          body);
      for (DeviceEventListener listener : listeners) {
        listener.stored(event);
      }
    });
    return event;
  }

  public List<DeviceEvent> ofDevice(String deviceId, int limit) {
    return jdbc.query(
        "select device_id, patient_id, type, occurred_at, body from device_event"
            + " where device_id = ? order by occurred_at desc limit ?",
        (rs, row) ->
            new DeviceEvent(
                rs.getString("device_id"),
                rs.getString("patient_id"),
                rs.getString("type"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("body")),
        deviceId,
        limit);
  }
}
