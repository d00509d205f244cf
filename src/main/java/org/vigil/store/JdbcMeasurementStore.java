package org.vigil.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.measurement.Measurement;

/**
 * Readings in one narrow table designed for time series: a unique index on (patient, code,
 * effective time, device, value, MDC code) serves both the clinical query — one patient's series of
 * one code over a time range — and de-duplication of redelivered readings. SQL is the common subset
 * of PostgreSQL and H2 (which runs in its PostgreSQL mode).
 */
public final class JdbcMeasurementStore implements MeasurementStore {

  private static final String COLUMNS =
      "id, patient_id, device_id, code, mdc_code, value_num, unit, effective_at, received_at";
  private static final String INSERT =
      "insert into measurement ("
          + COLUMNS
          + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";

  private static final RowMapper<Measurement> ROW =
      (ResultSet rs, int row) ->
          new Measurement(
              rs.getLong("id"),
              rs.getString("patient_id"),
              rs.getString("device_id"),
              rs.getString("code"),
              rs.getInt("mdc_code"),
              rs.getDouble("value_num"),
              rs.getString("unit"),
              rs.getObject("effective_at", OffsetDateTime.class).toInstant(),
              rs.getObject("received_at", OffsetDateTime.class).toInstant());

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;

  public JdbcMeasurementStore(JdbcTemplate jdbc, TransactionTemplate transaction) {
    this.jdbc = jdbc;
    this.transaction = transaction;
  }

  @Override
  public void append(List<Measurement> batch) {
    if (batch.isEmpty()) {
      return;
    }
    transaction.executeWithoutResult(status ->
        jdbc.batchUpdate(
            INSERT,
            new BatchPreparedStatementSetter() {
              @Override
              public void setValues(PreparedStatement ps, int i) throws SQLException {
                Measurement m = batch.get(i);
                ps.setLong(1, m.id());
                ps.setString(2, m.patientId());
                ps.setString(3, m.deviceId());
                ps.setString(4, m.code());
                ps.setInt(5, m.mdcCode());
                ps.setDouble(6, m.value());
                ps.setString(7, m.unit());
                ps.setObject(8, utc(m.effectiveAt()));
                ps.setObject(9, utc(m.receivedAt()));
              }

              @Override
              public int getBatchSize() {
                return batch.size();
              }
            }));
  }

  @Override
  public Optional<Measurement> find(long id) {
    return jdbc.query("select " + COLUMNS + " from measurement where id = ?", ROW, id).stream()
        .findFirst();
  }

  @Override
  public List<Measurement> search(MeasurementQuery query) {
    if (query.limit() == 0) {
      return List.of();
    }
    List<Object> args = new ArrayList<>();
    String sql =
        "select "
            + COLUMNS
            + " from measurement"
            + where(query, args)
            + " order by effective_at "
            + (query.newestFirst() ? "desc" : "asc")
            + ", id "
            + (query.newestFirst() ? "desc" : "asc")
            + " limit ? offset ?";
    args.add(query.limit());
    args.add(query.offset());
    return jdbc.query(sql, ROW, args.toArray());
  }

  @Override
  public long count(MeasurementQuery query) {
    List<Object> args = new ArrayList<>();
    Long count =
        jdbc.queryForObject(
            "select count(*) from measurement" + where(query, args), Long.class, args.toArray());
    return count == null ? 0 : count;
  }

  @Override
  public long highestId() {
    Long max = jdbc.queryForObject("select max(id) from measurement", Long.class);
    return max == null ? 0 : max;
  }

  private static String where(MeasurementQuery query, List<Object> args) {
    StringBuilder sql = new StringBuilder(" where patient_id = ?");
    args.add(query.patientId());
    if (!query.codes().isEmpty()) {
      sql.append(" and code in (")
          .append(String.join(", ", java.util.Collections.nCopies(query.codes().size(), "?")))
          .append(')');
      args.addAll(query.codes().stream().sorted().toList());
    }
    query
        .from()
        .ifPresent(from -> {
          sql.append(" and effective_at >= ?");
          args.add(utc(from));
        });
    query
        .to()
        .ifPresent(to -> {
          sql.append(" and effective_at <= ?");
          args.add(utc(to));
        });
    return sql.toString();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
