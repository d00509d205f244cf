package org.vigil.analytics;

import java.util.Optional;

/**
 * Extension point: told when a patient's vital goes outside its alarm limits and when it comes
 * back. Called on the thread that owns the patient's partition, in order per patient.
 */
public interface LimitListener {

  /**
   * @param patientId whose
   * @param code the vital's LOINC code
   * @param reading the reading that crossed, with its value
   * @param limit the limit it was judged against
   * @param breach which way it is out; empty when it is back within the limits
   */
  void limitCrossed(
      String patientId,
      String code,
      VitalReading reading,
      AlarmLimit limit,
      Optional<AlarmLimit.Breach> breach);

  /**
   * A reading from a device in a technical-alarm state ({@link SignalQuality}) would have taken the
   * vital outside its limits: nothing sounds, the reading is not judged, and this says so — once
   * per suppressed crossing.
   */
  default void limitCrossingSuppressed(
      String patientId, String code, VitalReading reading, AlarmLimit limit) {}
}
