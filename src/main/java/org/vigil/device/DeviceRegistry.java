package org.vigil.device;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vigil.audit.ChangeAudit;

/**
 * Registers devices, issues and checks their credentials, and says which patient a device served at
 * a given time. The one place transports go to authenticate a device and route its readings.
 *
 * <p>Credentials and assignments are read on every device message, so they are cached. A change
 * made through this registry takes effect on this node at once; other nodes of a cluster see it
 * within {@link #CACHE_TTL}.
 */
@Service
public class DeviceRegistry {

  static final Duration CACHE_TTL = Duration.ofSeconds(30);

  private final DeviceRepository devices;
  private final DeviceTokens tokens;
  private final Clock clock;
  private final LoadingCache<String, Optional<String>> tokenHashes;
  private final LoadingCache<String, List<DeviceAssignment>> assignments;
  private final LoadingCache<String, Optional<Device>> known;
  private final ChangeAudit audit;

  @Autowired
  DeviceRegistry(DeviceRepository devices, ChangeAudit audit) {
    this(devices, audit, new DeviceTokens(new SecureRandom()), Clock.systemUTC());
  }

  DeviceRegistry(DeviceRepository devices, ChangeAudit audit, DeviceTokens tokens, Clock clock) {
    this.devices = devices;
    this.audit = audit;
    this.tokens = tokens;
    this.clock = clock;
    this.tokenHashes = cache(devices::activeTokenHash);
    this.assignments = cache(devices::assignments);
    this.known = cache(devices::find);
  }

  private static <V> LoadingCache<String, V> cache(
      com.github.benmanes.caffeine.cache.CacheLoader<String, V> loader) {
    return Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(CACHE_TTL).build(loader);
  }

  /**
   * Registers a device and returns its token. The token is not stored and cannot be shown again:
   * hand it to the device now.
   *
   * @throws DeviceAlreadyRegisteredException when the id is taken
   */
  @Transactional
  public IssuedToken register(DeviceRegistration registration) {
    if (devices.find(registration.id()).isPresent()) {
      throw new DeviceAlreadyRegisteredException(registration.id());
    }
    Device device =
        new Device(
            registration.id(),
            registration.type(),
            registration.displayName(),
            registration.details(),
            clock.instant(),
            Optional.empty());
    String token = tokens.generate();
    devices.register(device, DeviceTokens.hash(token));
    audit.changed("device", "C", "register device " + registration.id(), Set.of());
    forget(registration.id());
    return new IssuedToken(registration.id(), token);
  }

  public IssuedToken register(String deviceId, String type, String displayName) {
    return register(new DeviceRegistration(deviceId, type, displayName));
  }

  /** Replaces what is recorded about a device: name, type, details, template. */
  public Device describe(String deviceId, DeviceRegistration description) {
    Device current = require(deviceId);
    Device updated =
        new Device(
            deviceId,
            description.type(),
            description.displayName(),
            description.details(),
            current.createdAt(),
            current.revokedAt());
    devices.update(updated);
    forget(deviceId);
    return updated;
  }

  /** Issues a new token; the old one stops working at once, and a revocation is lifted. */
  public IssuedToken rotateToken(String deviceId) {
    require(deviceId);
    String token = tokens.generate();
    devices.replaceTokenHash(deviceId, DeviceTokens.hash(token));
    audit.changed("device", "U", "rotate token of device " + deviceId, Set.of());
    forget(deviceId);
    return new IssuedToken(deviceId, token);
  }

  /** Sets a device's token to one the caller already holds (restoring saved credentials). */
  public void restoreToken(String deviceId, String token) {
    devices.replaceTokenHash(deviceId, DeviceTokens.hash(token));
    audit.changed("device", "U", "restore token of device " + deviceId, Set.of());
    forget(deviceId);
  }

  /** Revokes a device's credentials: it cannot send anything until it gets a new token. */
  public void revoke(String deviceId) {
    require(deviceId);
    devices.revoke(deviceId, clock.instant());
    audit.changed("device", "U", "revoke device " + deviceId, Set.of());
    forget(deviceId);
  }

  /** From now on the device's readings belong to the patient. */
  public void assign(String deviceId, String patientId) {
    assign(deviceId, patientId, clock.instant());
  }

  /**
   * The device's readings from {@code from} on belong to the patient — e.g. "this monitor has been
   * on bed 4 since 08:00", so that readings it stored before the assignment was entered find their
   * patient. The period may not reach back into an earlier assignment.
   */
  public void assign(String deviceId, String patientId, Instant from) {
    require(deviceId);
    List<DeviceAssignment> history = devices.assignments(deviceId);
    if (!history.isEmpty()) {
      DeviceAssignment last = history.getLast();
      Instant lastBoundary = last.end().orElse(last.start());
      if (from.isBefore(lastBoundary)) {
        throw new AssignmentConflictException(deviceId, from, lastBoundary);
      }
    }
    devices.assign(deviceId, patientId, from);
    audit.changed("device", "U", "assign device " + deviceId + " from " + from, Set.of(patientId));
    assignments.invalidate(deviceId);
  }

  /** From now on the device serves no patient; its readings are refused until it is assigned. */
  public void unassign(String deviceId) {
    require(deviceId);
    Optional<String> patient = currentPatient(deviceId);
    devices.unassign(deviceId, clock.instant());
    audit.changed(
        "device", "U", "unassign device " + deviceId, patient.map(Set::of).orElse(Set.of()));
    assignments.invalidate(deviceId);
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
    return tokenHashes.get(deviceId).map(hash -> DeviceTokens.matches(token, hash)).orElse(false);
  }

  /** The patient the device served at {@code time}, if any. */
  public Optional<String> patientAt(String deviceId, Instant time) {
    return assignments.get(deviceId).stream()
        .filter(a -> a.covers(time))
        .reduce((first, later) -> later) // on a boundary the newer assignment wins
        .map(DeviceAssignment::patientId);
  }

  public Optional<String> currentPatient(String deviceId) {
    return assignments.get(deviceId).stream()
        .filter(DeviceAssignment::isCurrent)
        .map(DeviceAssignment::patientId)
        .findFirst();
  }

  public List<DeviceAssignment> assignmentHistory(String deviceId) {
    return assignments.get(deviceId);
  }

  public List<String> devicesOf(String patientId) {
    return devices.devicesOf(patientId);
  }

  public Optional<Device> find(String deviceId) {
    return Device.isValidId(deviceId) ? known.get(deviceId) : Optional.empty();
  }

  public List<Device> all() {
    return devices.findAll();
  }

  private Device require(String deviceId) {
    return devices.find(deviceId).orElseThrow(() -> new UnknownDeviceException(deviceId));
  }

  private void forget(String deviceId) {
    tokenHashes.invalidate(deviceId);
    known.invalidate(deviceId);
    assignments.invalidate(deviceId);
  }

  /** A device token, in the clear, exactly once. */
  public record IssuedToken(String deviceId, String token) {
    @Override
    public String toString() {
      return "IssuedToken[deviceId=" + deviceId + ", token=<redacted>]";
    }
  }
}
