package org.vigil.analytics;

/**
 * Which devices' readings cannot be trusted now: a probe off the patient, a signal lost. Their
 * readings are stored and shown like any other, but they are neither scored nor judged against
 * alarm limits nor fed to the trends, so that an oximeter slipping off a finger does not sound as a
 * desaturation (IEC 60601-1-8's suppression of physiological alarms by a technical alarm
 * condition). Implemented by the technical alarms, which know each device's state.
 */
public interface SignalQuality {

  /**
   * Whether the device was in a technical-alarm state that makes its readings unreliable when it
   * took a reading at {@code takenAt} — judged by the reading's time, not its arrival, so that a
   * loose probe's last artefacts, still on their way when the probe is back, stay suppressed.
   */
  boolean unreliable(String deviceId, java.time.Instant takenAt);
}
