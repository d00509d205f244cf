package org.vigil.chronic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;

/**
 * Time clinicians spend reviewing a patient's home readings, as the web app logs it (the patient
 * view open and visible), for the remote-monitoring program report. Each entry is audited.
 */
@Service
public class ReviewTimes {

  /** One entry at most this long: a view left open over lunch is not review. */
  public static final Duration LONGEST = Duration.ofMinutes(60);

  private final JdbcTemplate jdbc;
  private final AuditTrail audit;
  private final Clock clock = Clock.systemUTC();

  ReviewTimes(JdbcTemplate jdbc, AuditTrail audit) {
    this.jdbc = jdbc;
    this.audit = audit;
  }

  /** Review time of one person, in seconds, per person. */
  public record ByPerson(String username, long seconds) {}

  public void record(
      String patientId, String username, Instant startedAt, int seconds, AuditAgent by) {
    if (seconds < 1 || seconds > LONGEST.toSeconds()) {
      throw new IllegalArgumentException("seconds must be 1–" + LONGEST.toSeconds());
    }
    Instant now = clock.instant();
    jdbc.update(
        "insert into clinician_review_time (patient_id, username, started_at, seconds,"
            + " recorded_at) values (?, ?, ?, ?, ?)",
        patientId,
        username,
        OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC),
        seconds,
        OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
    audit.record(
        new AuditEntry(
            "rest",
            "C",
            AuditEntry.SUCCESS,
            by,
            Set.of(patientId),
            "log review time " + seconds + " s",
            Optional.empty()));
  }

  /** Review time per person within {@code [from, to)}, most first. */
  public List<ByPerson> of(String patientId, Instant from, Instant to) {
    return jdbc.query(
        "select username, sum(seconds) as total from clinician_review_time where patient_id = ?"
            + " and started_at >= ? and started_at < ? group by username order by total desc,"
            + " username",
        (rs, row) -> new ByPerson(rs.getString("username"), rs.getLong("total")),
        patientId,
        OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
        OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
  }
}
