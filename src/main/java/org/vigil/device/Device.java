package org.vigil.device;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A registered device: a bedside monitor, a pulse oximeter, a BP cuff, a gateway.
 *
 * @param id the device's id, as it names itself on every transport (FHIR Device id too)
 * @param type Vigil's name for the kind of device, e.g. {@code bedside-monitor}; templates are
 *     chosen by it
 * @param displayName what people call it ("Bed 4 monitor")
 * @param details manufacturer, model, identifiers, coded type, mapping template
 * @param createdAt when it was registered
 * @param revokedAt when its credentials were revoked, if they were
 */
public record Device(
    String id,
    String type,
    String displayName,
    DeviceDetails details,
    Instant createdAt,
    Optional<Instant> revokedAt) {

  /** FHIR ids allow letters, digits, '-' and '.', up to 64 characters. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9\\-.]{0,63}");

  public Device {
    requireValidId(id);
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "a device type is 1 to 64 lower-case letters, digits, '-' or '.', was '" + type + "'");
    }
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(details, "details");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  public Device(String id, String type, String displayName, Instant createdAt) {
    this(id, type, displayName, DeviceDetails.NONE, createdAt, Optional.empty());
  }

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  static void requireValidId(String id) {
    if (!isValidId(id)) {
      throw new IllegalArgumentException(
          "a device id is 1 to 64 letters, digits, '-' or '.', was '" + id + "'");
    }
  }

  public boolean isRevoked() {
    return revokedAt.isPresent();
  }
}
