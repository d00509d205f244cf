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
 * @param mdcCode the IEEE 11073-10101 (MDC) code the source gave, kept beside the LOINC code, or
 *     {@link org.vigil.measurement.Measurement#NO_MDC_CODE}
 */
public record DeviceReading(
    String location,
    String system,
    String code,
    double value,
    String unit,
    Instant effectiveAt,
    int mdcCode) {

  /** A reading whose source named no MDC code. */
  public DeviceReading(
      String location, String system, String code, double value, String unit, Instant effectiveAt) {
    this(location, system, code, value, unit, effectiveAt, 0);
  }
}
