package org.vigil.device;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers devices, issues and checks their credentials, and says which patient a device serves.
 * The one place transports go to authenticate a device.
 */
@Service
public class DeviceRegistry {

  private final DeviceRepository devices;
  private final DeviceTokens tokens;
  private final Clock clock;

  @Autowired
  public DeviceRegistry(DeviceRepository devices) {
    this(devices, new DeviceTokens(new SecureRandom()), Clock.systemUTC());
  }

  DeviceRegistry(DeviceRepository devices, DeviceTokens tokens, Clock clock) {
    this.devices = devices;
    this.tokens = tokens;
    this.clock = clock;
  }

  /**
   * Registers a device and returns its token. The token is not stored and cannot be shown again:
   * hand it to the device now.
   */
  @Transactional
  public IssuedToken register(String deviceId, String type, String displayName) {
    Device device = new Device(deviceId, type, displayName, clock.instant(), Optional.empty());
    String token = tokens.generate();
    devices.register(device, DeviceTokens.hash(token));
    return new IssuedToken(deviceId, token);
  }

  /** Issues a new token; the old one stops working at once. */
  public IssuedToken rotateToken(String deviceId) {
    String token = tokens.generate();
    devices.replaceTokenHash(deviceId, DeviceTokens.hash(token));
    return new IssuedToken(deviceId, token);
  }

  /** Sets a device's token to one the caller already holds (restoring saved credentials). */
  public void restoreToken(String deviceId, String token) {
    devices.replaceTokenHash(deviceId, DeviceTokens.hash(token));
  }

  /** Revokes a device's credentials: it cannot send anything until it gets a new token. */
  public void revoke(String deviceId) {
    devices.revoke(deviceId, clock.instant());
  }

  public void assign(String deviceId, String patientId) {
    devices.assign(deviceId, patientId, clock.instant());
  }

  /**
   * Checks a device's credentials.
   *
   * @return true when the device exists, is not revoked and the token is its token
   */
  public boolean authenticate(String deviceId, String token) {
    if (!Device.isValidId(deviceId) || token == null || token.isEmpty()) {
      return false;
    }
    return devices
        .activeTokenHash(deviceId)
        .map(hash -> DeviceTokens.matches(token, hash))
        .orElse(false);
  }

  public Optional<String> currentPatient(String deviceId) {
    return devices.currentPatient(deviceId);
  }

  public Optional<Device> find(String deviceId) {
    return devices.find(deviceId);
  }

  /** A device token, in the clear, exactly once. */
  public record IssuedToken(String deviceId, String token) {
    @Override
    public String toString() {
      return "IssuedToken[deviceId=" + deviceId + ", token=<redacted>]";
    }
  }
}
