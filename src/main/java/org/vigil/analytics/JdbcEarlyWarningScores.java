package org.vigil.analytics;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.vigil.analytics.News2Score.Absence;
import org.vigil.analytics.News2Score.SubScore;

/** NEWS2 scores in table {@code early_warning_score}, one pair of columns per parameter. */
@Repository
class JdbcEarlyWarningScores implements EarlyWarningScores {

  /** The column prefix of each parameter, in the order of the enum. */
  private static final Map<News2Parameter, String> COLUMN = columns();

  private static Map<News2Parameter, String> columns() {
    Map<News2Parameter, String> columns = new EnumMap<>(News2Parameter.class);
    columns.put(News2Parameter.RESPIRATION_RATE, "respiration");
    columns.put(News2Parameter.OXYGEN_SATURATION, "saturation");
    columns.put(News2Parameter.AIR_OR_OXYGEN, "oxygen");
    columns.put(News2Parameter.SYSTOLIC_BLOOD_PRESSURE, "systolic");
    columns.put(News2Parameter.PULSE, "pulse");
    columns.put(News2Parameter.CONSCIOUSNESS, "consciousness");
    columns.put(News2Parameter.TEMPERATURE, "temperature");
    return Collections.unmodifiableMap(columns);
  }

  private static final String PARAMETER_COLUMNS =
      String.join(", ", COLUMN.values().stream().map(c -> c + "_points, " + c + "_input").toList());

  private static final String COLUMNS =
      "id, patient_id, effective_at, spo2_scale, " + PARAMETER_COLUMNS;

  private final JdbcTemplate jdbc;
  private final Clock clock = Clock.systemUTC();

  JdbcEarlyWarningScores(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public News2Score save(News2Score score) {
    String sql =
        "insert into early_warning_score (patient_id, effective_at, recorded_at, spo2_scale,"
            + " total, band, is_complete, "
            + PARAMETER_COLUMNS
            + ") values (?, ?, ?, ?, ?, ?, ?"
            + ", ?, ?".repeat(COLUMN.size())
            + ")";
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    jdbc.update(
        connection -> {
          PreparedStatement insert =
              connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
          int i = 1;
          insert.setString(i++, score.patientId());
          insert.setObject(i++, utc(score.effectiveAt()));
          insert.setObject(i++, utc(clock.instant()));
          insert.setInt(i++, score.scale().number());
          insert.setInt(i++, score.total());
          insert.setString(i++, score.band().name());
          insert.setBoolean(i++, score.complete());
          for (News2Parameter p : COLUMN.keySet()) {
            SubScore sub = score.scored().get(p);
            Absence absence = score.absent().get(p);
            Optional<Long> input = sub != null ? Optional.of(sub.inputId()) : absence.lastInputId();
            setNullable(insert, i++, sub == null ? null : (long) sub.points(), Types.SMALLINT);
            setNullable(insert, i++, input.orElse(null), Types.BIGINT);
          }
          return insert;
        },
        key);
    return score.withId(((Number) key.getKeys().get("id")).longValue());
  }

  @Override
  public Optional<News2Score> find(long id) {
    return jdbc
        .query("select " + COLUMNS + " from early_warning_score where id = ?", this::score, id)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<News2Score> latest(String patientId) {
    return history(patientId, Optional.empty(), Optional.empty(), false, 1).stream().findFirst();
  }

  @Override
  public List<News2Score> history(
      String patientId,
      Optional<Instant> from,
      Optional<Instant> to,
      boolean oldestFirst,
      int max) {
    List<Object> args = new ArrayList<>();
    String where = where(patientId, from, to, args);
    args.add(max);
    String order = oldestFirst ? "effective_at, id" : "effective_at desc, id desc";
    return jdbc.query(
        "select "
            + COLUMNS
            + " from early_warning_score"
            + where
            + " order by "
            + order
            + " limit ?",
        this::score,
        args.toArray());
  }

  @Override
  public long count(String patientId, Optional<Instant> from, Optional<Instant> to) {
    List<Object> args = new ArrayList<>();
    String where = where(patientId, from, to, args);
    Long count =
        jdbc.queryForObject(
            "select count(*) from early_warning_score" + where, Long.class, args.toArray());
    return count == null ? 0 : count;
  }

  private static String where(
      String patientId, Optional<Instant> from, Optional<Instant> to, List<Object> args) {
    StringBuilder where = new StringBuilder(" where patient_id = ?");
    args.add(patientId);
    from.ifPresent(t -> {
      where.append(" and effective_at >= ?");
      args.add(utc(t));
    });
    to.ifPresent(t -> {
      where.append(" and effective_at <= ?");
      args.add(utc(t));
    });
    return where.toString();
  }

  private News2Score score(ResultSet rs, int row) throws SQLException {
    Map<News2Parameter, SubScore> scored = new EnumMap<>(News2Parameter.class);
    Map<News2Parameter, Absence> absent = new EnumMap<>(News2Parameter.class);
    for (Map.Entry<News2Parameter, String> column : COLUMN.entrySet()) {
      int points = rs.getInt(column.getValue() + "_points");
      boolean wasScored = !rs.wasNull();
      long input = rs.getLong(column.getValue() + "_input");
      boolean hadInput = !rs.wasNull();
      if (wasScored) {
        scored.put(column.getKey(), new SubScore(points, input));
      } else if (hadInput) {
        absent.put(column.getKey(), Absence.stale(input));
      } else {
        absent.put(column.getKey(), Absence.missing());
      }
    }
    return new News2Score(
        rs.getLong("id"),
        rs.getString("patient_id"),
        rs.getObject("effective_at", OffsetDateTime.class).toInstant(),
        SpO2Scale.ofNumber(rs.getInt("spo2_scale")),
        scored,
        absent);
  }

  private static void setNullable(PreparedStatement statement, int index, Long value, int type)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, type);
    } else {
      statement.setLong(index, value);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
