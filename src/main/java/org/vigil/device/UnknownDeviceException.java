package org.vigil.device;

/** No device is registered under the id. */
public final class UnknownDeviceException extends RuntimeException {
  public UnknownDeviceException(String deviceId) {
    super("no device " + deviceId + " is registered");
  }
}
