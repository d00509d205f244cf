package org.vigil.measurement;

import java.time.Instant;
import java.util.Objects;

/**
 * One canonical reading, the unit of work on Vigil's hot path: a value of a LOINC-coded quantity
 * for a patient, measured by a device at a point in time. Everything a transport receives is
 * normalized to this before it is logged and stored; FHIR Observations are made from it at the
 * edge.
 *
 * @param id unique, time-ordered id (see {@link MeasurementIds}); also the Observation id
 * @param patientId the patient the device was assigned to when the reading was taken
 * @param deviceId the device that produced the reading
 * @param code LOINC code of what was measured
 * @param mdcCode IEEE 11073-10101 (MDC) code the source gave, or {@link #NO_MDC_CODE}
 * @param value the value in {@code unit}
 * @param unit UCUM unit (the catalog's canonical unit for known codes)
 * @param effectiveAt when the reading was taken (millisecond precision)
 * @param receivedAt when Vigil received it
 */
public record Measurement(
    long id,
    String patientId,
    String deviceId,
    String code,
    int mdcCode,
    double value,
    String unit,
    Instant effectiveAt,
    Instant receivedAt) {

  /** MDC codes are positive; zero says the source gave none. */
  public static final int NO_MDC_CODE = 0;

  /**
   * A reading a person entered (a nurse's ACVPU, a manual blood pressure) has no device; its {@code
   * deviceId} is this prefix and the user's name. Device ids cannot contain a colon, so the two
   * never meet.
   */
  public static final String MANUAL_ENTRY_PREFIX = "manual:";

  public Measurement {
    requireText(patientId, "patientId");
    requireText(deviceId, "deviceId");
    requireText(code, "code");
    requireText(unit, "unit");
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value must be a finite number, was " + value);
    }
    if (mdcCode < 0) {
      throw new IllegalArgumentException("mdcCode must not be negative, was " + mdcCode);
    }
  }

  /** Whether a person entered this reading rather than a device measuring it. */
  public boolean isManualEntry() {
    return deviceId.startsWith(MANUAL_ENTRY_PREFIX);
  }

  public boolean hasMdcCode() {
    return mdcCode != NO_MDC_CODE;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
