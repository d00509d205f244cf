package org.vigil.normalize;

import java.time.Instant;

/**
 * A reading as the device described it, before normalization: its own code system, code and unit.
 *
 * @param location where it sat in the message, for error messages ({@code measurements[2]})
 * @param system the code system the device named
 * @param code the code in that system
 * @param value the value as sent
 * @param unit the unit as sent
 * @param effectiveAt when the device says the reading was taken
 */
public record DeviceReading(
    String location, String system, String code, double value, String unit, Instant effectiveAt) {}
