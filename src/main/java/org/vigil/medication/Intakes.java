package org.vigil.medication;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/** Evidence of intake, as stored. */
@Service
public class Intakes {

  private static final String COLUMNS =
      "id, patient_id, request_id, kind, occurred_at, recorded_at, source";

  private final JdbcTemplate jdbc;
  private final Clock clock = Clock.systemUTC();

  Intakes(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores one piece of evidence; durable when this returns (or when its transaction commits). */
  public Intake record(
      String patientId, Optional<String> requestId, IntakeKind kind, Instant at, String source) {
    Instant now = clock.instant();
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    jdbc.update(
        connection -> {
          var statement =
              connection.prepareStatement(
                  "insert into medication_intake (patient_id, request_id, kind, occurred_at,"
                      + " recorded_at, source) values (?, ?, ?, ?, ?, ?)",
                  new String[] {"id"});
          statement.setString(1, patientId);
          statement.setString(2, requestId.orElse(null));
          statement.setString(3, kind.code());
          statement.setObject(4, MedicationSchedules.utc(at));
          statement.setObject(5, MedicationSchedules.utc(now));
          statement.setString(6, source);
          return statement;
        },
        key);
    return new Intake(key.getKey().longValue(), patientId, requestId, kind, at, now, source);
  }

  public Optional<Intake> find(long id) {
    return jdbc
        .query("select " + COLUMNS + " from medication_intake where id = ?", Intakes::row, id)
        .stream()
        .findFirst();
  }

  /** A patient's evidence in {@code [from, to)}, oldest first. */
  public List<Intake> ofPatient(String patientId, Instant from, Instant to) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from medication_intake where patient_id = ? and occurred_at >= ?"
            + " and occurred_at < ? order by occurred_at, id",
        Intakes::row,
        patientId,
        MedicationSchedules.utc(from),
        MedicationSchedules.utc(to));
  }

  /** A patient's latest evidence, newest first. */
  public List<Intake> latestOfPatient(String patientId, int max) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from medication_intake where patient_id = ?"
            + " order by occurred_at desc, id desc limit ?",
        Intakes::row,
        patientId,
        max);
  }

  /** Everyone's latest evidence, newest first (for systems, which see every patient). */
  public List<Intake> latest(int max) {
    return jdbc.query(
        "select " + COLUMNS + " from medication_intake order by occurred_at desc, id desc limit ?",
        Intakes::row,
        max);
  }

  private static Intake row(ResultSet rs, int row) throws SQLException {
    return new Intake(
        rs.getLong("id"),
        rs.getString("patient_id"),
        Optional.ofNullable(rs.getString("request_id")),
        IntakeKind.ofCode(rs.getString("kind")).orElseThrow(),
        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
        rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
        rs.getString("source"));
  }
}
