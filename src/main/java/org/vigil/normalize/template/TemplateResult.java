package org.vigil.normalize.template;

import java.util.List;
import java.util.Optional;
import org.vigil.normalize.DeviceReading;

/**
 * What a template made of a payload.
 *
 * @param deviceId the device the payload names, if the template reads one
 * @param readings the readings, in the device's own units (normalization converts them)
 */
public record TemplateResult(Optional<String> deviceId, List<DeviceReading> readings) {}
