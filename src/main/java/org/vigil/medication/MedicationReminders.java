package org.vigil.medication;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** Reminders sent for doses due and not taken: at most one per dose, whichever node sends it. */
@Service
public class MedicationReminders {

  /** A reminder as stored. */
  public record Reminder(
      long id,
      String patientId,
      String requestId,
      Instant dueAt,
      Instant sentAt,
      Optional<Instant> dismissedAt) {}

  private final JdbcTemplate jdbc;
  private final Clock clock = Clock.systemUTC();

  MedicationReminders(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Records the reminder for a dose; empty when it was already sent (by this node or another). */
  Optional<Reminder> send(String patientId, String requestId, Instant dueAt) {
    Instant now = clock.instant();
    try {
      jdbc.update(
          "insert into medication_reminder (patient_id, request_id, due_at, sent_at)"
              + " values (?, ?, ?, ?)",
          patientId,
          requestId,
          MedicationSchedules.utc(dueAt),
          MedicationSchedules.utc(now));
    } catch (DuplicateKeyException e) {
      return Optional.empty();
    }
    return jdbc
        .query(
            "select * from medication_reminder where request_id = ? and due_at = ?",
            MedicationReminders::row,
            requestId,
            MedicationSchedules.utc(dueAt))
        .stream()
        .findFirst();
  }

  /** The patient's reminders for doses due since {@code since}, newest first. */
  public List<Reminder> ofPatient(String patientId, Instant since) {
    return jdbc.query(
        "select * from medication_reminder where patient_id = ? and due_at >= ?"
            + " order by due_at desc, id desc",
        MedicationReminders::row,
        patientId,
        MedicationSchedules.utc(since));
  }

  /** The patient puts a reminder away; false when it is none of theirs. */
  public boolean dismiss(String patientId, long id) {
    return jdbc.update(
            "update medication_reminder set dismissed_at = ? where id = ? and patient_id = ?"
                + " and dismissed_at is null",
            MedicationSchedules.utc(clock.instant()),
            id,
            patientId)
        > 0;
  }

  private static Reminder row(ResultSet rs, int row) throws SQLException {
    OffsetDateTime dismissed = rs.getObject("dismissed_at", OffsetDateTime.class);
    return new Reminder(
        rs.getLong("id"),
        rs.getString("patient_id"),
        rs.getString("request_id"),
        rs.getObject("due_at", OffsetDateTime.class).toInstant(),
        rs.getObject("sent_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(dismissed).map(OffsetDateTime::toInstant));
  }
}
