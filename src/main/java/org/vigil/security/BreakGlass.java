package org.vigil.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.patient.PatientRepository;

/**
 * Emergency access: a clinician opens a patient who is not on their wards, stating why. The access
 * lasts a limited time, is in the audit trail with its reason, and every access made under it is
 * flagged there.
 */
@Service
public class BreakGlass {

  /** One emergency access. */
  public record Access(
      long id,
      String username,
      String patientId,
      String reason,
      Instant startedAt,
      Instant endsAt) {}

  static final int MIN_REASON = 10;

  private final JdbcTemplate jdbc;
  private final PatientRepository patients;
  private final AuditTrail audit;
  private final AuditAgents agents;
  private final Duration duration;
  private final Clock clock = Clock.systemUTC();

  BreakGlass(
      JdbcTemplate jdbc,
      PatientRepository patients,
      AuditTrail audit,
      AuditAgents agents,
      @Value("${vigil.security.break-glass-duration:PT1H}") Duration duration) {
    this.jdbc = jdbc;
    this.patients = patients;
    this.audit = audit;
    this.agents = agents;
    this.duration = duration;
  }

  /**
   * Opens the patient to the clinician.
   *
   * @throws IllegalArgumentException when the patient is unknown or the reason too short
   */
  @Transactional
  public Access open(String username, String patientId, String reason) {
    if (patientId == null || patients.find(patientId).isEmpty()) {
      throw new IllegalArgumentException("no patient " + patientId);
    }
    String why = reason == null ? "" : reason.strip();
    if (why.length() < MIN_REASON || why.length() > 500) {
      throw new IllegalArgumentException(
          "say why, in " + MIN_REASON + " to 500 characters: it goes in the audit trail");
    }
    Instant now = clock.instant();
    Instant ends = now.plus(duration);
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    jdbc.update(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "insert into break_glass (username, patient_id, reason, started_at, ends_at)"
                      + " values (?, ?, ?, ?, ?)",
                  new String[] {"id"});
          statement.setString(1, username);
          statement.setString(2, patientId);
          statement.setString(3, why);
          statement.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
          statement.setObject(5, OffsetDateTime.ofInstant(ends, ZoneOffset.UTC));
          return statement;
        },
        key);
    long id = key.getKey().longValue();
    audit.record(
        new AuditEntry(
            "break-glass",
            "E",
            AuditEntry.SUCCESS,
            agents.current(),
            Set.of(patientId),
            "break glass " + id + " until " + ends,
            Optional.of(why)));
    return new Access(id, username, patientId, why, now, ends);
  }

  /** Ends an emergency access before its time, by the clinician who opened it. */
  @Transactional
  public void close(String username, long id) {
    int ended =
        jdbc.update(
            "update break_glass set ends_at = ? where id = ? and username = ? and ends_at > ?",
            OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
            id,
            username,
            OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
    if (ended == 0) {
      throw new IllegalArgumentException("no open break-glass access " + id + " of yours");
    }
    audit.record(
        new AuditEntry(
            "break-glass",
            "E",
            AuditEntry.SUCCESS,
            agents.current(),
            Set.of(),
            "close break glass " + id,
            Optional.empty()));
  }

  /** The patients a clinician has open by break-glass right now. */
  public Set<String> openPatients(String username) {
    return Set.copyOf(
        jdbc.queryForList(
            "select patient_id from break_glass where username = ? and ends_at > ?",
            String.class,
            username,
            OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
  }

  /** Every emergency access to a patient, newest first: for the care team and the patient. */
  public List<Access> ofPatient(String patientId) {
    return jdbc.query(
        "select id, username, patient_id, reason, started_at, ends_at from break_glass"
            + " where patient_id = ? order by started_at desc",
        (rs, row) ->
            new Access(
                rs.getLong("id"),
                rs.getString("username"),
                rs.getString("patient_id"),
                rs.getString("reason"),
                rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                rs.getObject("ends_at", OffsetDateTime.class).toInstant()),
        patientId);
  }
}
