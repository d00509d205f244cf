package org.vigil.device;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Registered devices, their credentials and their assignment to patients over time. */
public interface DeviceRepository {

  void register(Device device, String tokenHash);

  /** Replaces what is recorded about a device (not its id, credentials or assignments). */
  void update(Device device);

  Optional<Device> find(String deviceId);

  List<Device> findAll();

  /** The token hash of a device whose credentials are not revoked. */
  Optional<String> activeTokenHash(String deviceId);

  /** Replaces the token hash and lifts any revocation. */
  void replaceTokenHash(String deviceId, String tokenHash);

  /** Revokes the device's credentials from {@code at} on. */
  void revoke(String deviceId, Instant at);

  /** Ends the device's current assignment, if any, at {@code at} and starts one to the patient. */
  void assign(String deviceId, String patientId, Instant at);

  /** Ends the device's current assignment, if any, at {@code at}. */
  void unassign(String deviceId, Instant at);

  /** Every assignment the device has had, oldest first. */
  List<DeviceAssignment> assignments(String deviceId);

  /** The devices assigned to a patient now. */
  List<String> devicesOf(String patientId);
}
