package org.vigil.medication;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Each patient's reminder and alarm settings over the node's defaults. */
@Service
public class MedicationSettings {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final MedicationProperties defaults;
  private final Clock clock = Clock.systemUTC();

  MedicationSettings(
      JdbcTemplate jdbc, TransactionTemplate transaction, MedicationProperties defaults) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.defaults = defaults;
  }

  /** The patient's overrides as stored. */
  public PatientMedicationSettings overrides(String patientId) {
    return jdbc
        .query(
            "select time_zone, reminders, reminder_grace, consecutive_misses, adherence_threshold,"
                + " adherence_period from medication_settings where patient_id = ?",
            MedicationSettings::row,
            patientId)
        .stream()
        .findFirst()
        .orElse(PatientMedicationSettings.NONE);
  }

  /** The settings in effect for the patient. */
  public PatientMedicationSettings.Effective of(String patientId) {
    PatientMedicationSettings own = overrides(patientId);
    return new PatientMedicationSettings.Effective(
        own.timeZone().orElse(defaults.timeZone()),
        own.reminders().orElse(defaults.reminders()),
        own.reminderGrace().orElse(defaults.reminderGrace()),
        own.consecutiveMisses().orElse(defaults.consecutiveMisses()),
        own.adherenceThreshold().orElse(defaults.adherenceThreshold()),
        own.adherencePeriod().orElse(defaults.adherencePeriod()));
  }

  /** Replaces the patient's overrides. */
  public void save(String patientId, PatientMedicationSettings settings, String by) {
    transaction.executeWithoutResult(tx -> {
      jdbc.update("delete from medication_settings where patient_id = ?", patientId);
      jdbc.update(
          "insert into medication_settings (patient_id, time_zone, reminders, reminder_grace,"
              + " consecutive_misses, adherence_threshold, adherence_period, updated_by,"
              + " updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          patientId,
          settings.timeZone().map(ZoneId::getId).orElse(null),
          settings.reminders().orElse(null),
          settings.reminderGrace().map(Duration::toString).orElse(null),
          settings.consecutiveMisses().orElse(null),
          settings.adherenceThreshold().orElse(null),
          settings.adherencePeriod().map(Duration::toString).orElse(null),
          by,
          MedicationSchedules.utc(clock.instant()));
    });
  }

  private static PatientMedicationSettings row(ResultSet rs, int row) throws SQLException {
    boolean reminders = rs.getBoolean("reminders");
    boolean remindersSet = !rs.wasNull();
    int misses = rs.getInt("consecutive_misses");
    boolean missesSet = !rs.wasNull();
    double threshold = rs.getDouble("adherence_threshold");
    boolean thresholdSet = !rs.wasNull();
    return new PatientMedicationSettings(
        Optional.ofNullable(rs.getString("time_zone")).map(ZoneId::of),
        remindersSet ? Optional.of(reminders) : Optional.empty(),
        Optional.ofNullable(rs.getString("reminder_grace")).map(Duration::parse),
        missesSet ? Optional.of(misses) : Optional.empty(),
        thresholdSet ? Optional.of(threshold) : Optional.empty(),
        Optional.ofNullable(rs.getString("adherence_period")).map(Duration::parse));
  }
}
