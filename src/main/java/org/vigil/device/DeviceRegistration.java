package org.vigil.device;

import java.util.Objects;

/**
 * What it takes to register a device.
 *
 * @param id the id it will use on every transport
 * @param type Vigil's name for its kind, e.g. {@code bedside-monitor}
 * @param displayName what people call it
 * @param details manufacturer, model, identifiers, coded type, mapping template
 */
public record DeviceRegistration(
    String id, String type, String displayName, DeviceDetails details) {

  public DeviceRegistration {
    Device.requireValidId(id);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(details, "details");
  }

  public DeviceRegistration(String id, String type, String displayName) {
    this(id, type, displayName, DeviceDetails.NONE);
  }
}
