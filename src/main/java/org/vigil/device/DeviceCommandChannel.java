package org.vigil.device;

import java.util.concurrent.CompletableFuture;

/**
 * Sends a command to a device ({@code devices/{id}/commands/{name}} over MQTT): "take a reading
 * now", "sync the clock". Delivered at least once; a device that is offline gets it when it
 * reconnects with its persistent session.
 */
public interface DeviceCommandChannel {

  /**
   * @param deviceId the device
   * @param command the command name, one topic level ({@code measure-now})
   * @param payload the command's body, usually JSON
   * @return completes when the broker has taken the command
   */
  CompletableFuture<Void> send(String deviceId, String command, byte[] payload);
}
