package org.vigil.device;

import java.util.Objects;
import java.util.Optional;

/**
 * What an integration engineer records about a device beyond its id.
 *
 * @param manufacturer who made it
 * @param model model name or number
 * @param serialNumber the manufacturer's serial number
 * @param udi the Unique Device Identifier (UDI carrier, human-readable form), where the device has
 *     one
 * @param typeCode the kind of device as a coded concept (SNOMED CT or IEEE 11073 MDC)
 * @param template the mapping template that reads its JSON; empty for Vigil's native JSON
 */
public record DeviceDetails(
    Optional<String> manufacturer,
    Optional<String> model,
    Optional<String> serialNumber,
    Optional<String> udi,
    Optional<DeviceTypeCode> typeCode,
    Optional<String> template) {

  public static final DeviceDetails NONE =
      new DeviceDetails(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public DeviceDetails {
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(serialNumber, "serialNumber");
    Objects.requireNonNull(udi, "udi");
    Objects.requireNonNull(typeCode, "typeCode");
    Objects.requireNonNull(template, "template");
  }

  /** A coded device type, e.g. SNOMED CT 706767009 "Patient vital signs monitoring system". */
  public record DeviceTypeCode(String system, String code, String display) {
    public DeviceTypeCode {
      Objects.requireNonNull(system, "system");
      Objects.requireNonNull(code, "code");
    }
  }
}
