package org.vigil.ward;

import java.time.Instant;
import java.util.List;

/**
 * What the ward overview shows of one patient: who and where, the latest of each vital sign, NEWS2,
 * open alarms and the patient's devices. Missing values are absent ({@code null} in JSON), never
 * zero or "normal".
 *
 * @param patientId Vigil's patient id (the FHIR Patient id)
 * @param name the patient's name as a nurse reads it ("Family, Given")
 * @param ward the ward, if in hospital
 * @param bed the bed, if in hospital
 * @param vitals the latest reading of each vital sign the patient has one of
 * @param news2 the latest NEWS2 assessment, if any
 * @param alarms the patient's open alarms, in short
 * @param devices the devices assigned to the patient
 */
public record WardTile(
    String patientId,
    String name,
    String ward,
    String bed,
    List<Vital> vitals,
    News2 news2,
    Alarms alarms,
    List<DeviceState> devices) {

  /** One vital sign's latest reading. */
  public record Vital(String code, double value, String unit, Instant at) {}

  /**
   * @param total the sum of the scored parameters; a lower bound when incomplete
   * @param band low, low-medium, medium or high
   * @param bandDisplay the band in RCP's words
   * @param complete whether every parameter was scored
   * @param missing the parameters not scored (missing or stale)
   * @param trend up, down or same against the previous assessment; null when there was none
   * @param at when the assessment was made
   */
  public record News2(
      int total,
      String band,
      String bandDisplay,
      boolean complete,
      List<String> missing,
      String trend,
      Instant at) {}

  /**
   * @param open how many alarms are open (active or acknowledged)
   * @param active how many of them nobody has acknowledged yet
   * @param highestPriority the highest priority among the open ones, null when none
   * @param oldestRaisedAt when the oldest open one was raised
   */
  public record Alarms(int open, int active, String highestPriority, Instant oldestRaisedAt) {
    static final Alarms NONE = new Alarms(0, 0, null, null);
  }

  /** A device as far as Vigil knows it; an unreported battery is null, not empty. */
  public record DeviceState(String deviceId, boolean online, Double batteryPercent) {}
}
