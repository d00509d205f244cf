package org.vigil.device;

/** A device with the id is already registered. */
public final class DeviceAlreadyRegisteredException extends RuntimeException {
  public DeviceAlreadyRegisteredException(String deviceId) {
    super("a device with id " + deviceId + " is already registered");
  }
}
