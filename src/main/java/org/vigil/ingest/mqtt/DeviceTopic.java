package org.vigil.ingest.mqtt;

import java.util.Optional;
import org.vigil.device.Device;

/**
 * A topic under a device's own tree: {@code devices/{deviceId}/{channel}[/{rest}]}.
 *
 * @param deviceId the device the topic belongs to
 * @param channel {@code messages}, {@code gatt}, {@code events}, {@code status}, {@code commands}
 * @param rest what follows the channel (the GATT characteristic, a command name), or empty
 */
record DeviceTopic(String deviceId, String channel, String rest) {

  static final String ROOT = "devices/";

  static Optional<DeviceTopic> parse(String topic) {
    if (topic == null || !topic.startsWith(ROOT)) {
      return Optional.empty();
    }
    String[] parts = topic.substring(ROOT.length()).split("/", 3);
    if (parts.length < 2 || !Device.isValidId(parts[0]) || parts[1].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DeviceTopic(parts[0], parts[1], parts.length == 3 ? parts[2] : ""));
  }

  /** Whether a device may subscribe to the filter: only its own commands. */
  static boolean maySubscribe(String deviceId, String filter) {
    String own = ROOT + deviceId + "/commands";
    return filter.equals(own) || filter.equals(own + "/#") || filter.startsWith(own + "/");
  }
}
