package org.vigil.telemedicine;

import static org.vigil.telemedicine.Schedules.at;
import static org.vigil.telemedicine.Schedules.instant;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * What the patient's portal tells them about their visits: {@code reminder} — a visit starts soon
 * (sent {@code vigil.telemedicine.remind-before} ahead, once per booking, again after a move);
 * {@code invitation} — a clinician booked a visit with them, or is calling them now; {@code
 * take-reading} — the clinician asks for a reading now, from a device that takes no commands.
 */
@Service
public class VisitNotices {

  /** A notice as the portal shows it. */
  public record Notice(String id, String appointmentId, String kind, Instant createdAt) {}

  private final JdbcTemplate jdbc;
  private final Clock clock = Clock.systemUTC();

  VisitNotices(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void tell(Appointment appointment, String kind) {
    jdbc.update(
        "insert into visit_notice (id, appointment_id, patient_id, kind, created_at)"
            + " values (?, ?, ?, ?, ?)",
        UUID.randomUUID().toString(),
        appointment.id(),
        appointment.patientId(),
        kind,
        at(clock.instant()));
  }

  /** The patient's notices of the last week, newest first. */
  public List<Notice> of(String patientId) {
    return jdbc.query(
        "select id, appointment_id, kind, created_at from visit_notice"
            + " where patient_id = ? and created_at > ? order by created_at desc limit 50",
        (rs, n) ->
            new Notice(
                rs.getString("id"),
                rs.getString("appointment_id"),
                rs.getString("kind"),
                instant(rs, "created_at")),
        patientId,
        at(clock.instant().minus(java.time.Duration.ofDays(7))));
  }
}
