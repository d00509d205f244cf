package org.vigil.ingest;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.springframework.stereotype.Service;
import org.vigil.device.DeviceHealth;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Device status reports ({@code devices/{id}/status}, usually retained, and the device's last
 * will): {@code {"battery": 81, "signal": -67, "online": true}}, every field optional. Battery is a
 * percentage, signal an RSSI in dBm.
 */
@Service
public class DeviceStatusReports {

  private final DeviceHealth health;
  private final JsonMapper json = JsonMapper.builder().build();

  DeviceStatusReports(DeviceHealth health) {
    this.health = health;
  }

  /**
   * Reads and records a status report.
   *
   * @throws InvalidMessageException when it is not a status report
   */
  public void record(String deviceId, byte[] payload, Instant receivedAt) {
    JsonNode root;
    try {
      root = json.readTree(payload);
    } catch (JacksonException e) {
      throw new InvalidMessageException(MessageProblem.ofMessage("malformed JSON"));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidMessageException(
          MessageProblem.ofMessage(
              "a status report is a JSON object such as {\"battery\": 81, \"signal\": -67}"));
    }
    OptionalDouble battery = number(root, "battery", 0, 100);
    OptionalDouble signal = number(root, "signal", -200, 50);
    JsonNode online = root.get("online");
    if (online != null && !online.isBoolean() && !online.isNull()) {
      throw new InvalidMessageException(new MessageProblem("online", "must be true or false"));
    }
    health.reported(
        deviceId,
        battery,
        signal,
        online == null || online.isNull() ? Optional.empty() : Optional.of(online.booleanValue()),
        receivedAt);
  }

  private static OptionalDouble number(JsonNode root, String field, double min, double max) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return OptionalDouble.empty();
    }
    if (!node.isNumber() || node.doubleValue() < min || node.doubleValue() > max) {
      throw new InvalidMessageException(
          new MessageProblem(field, "must be a number from " + min + " to " + max));
    }
    return OptionalDouble.of(node.doubleValue());
  }
}
