package org.vigil.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.measurement.Measurement;

/**
 * Readings as series and points, the shape time-series stores use: a series is one source of one
 * quantity for one patient (patient, LOINC code, MDC code, device, unit), a point is a value at a
 * time in it. Points hold no strings, so the rows and index entries written on every commit stay
 * small. The unique index on (series, effective time, value) serves both the clinical query — one
 * patient's series of one code over a time range — and de-duplication of redelivered readings.
 * Series ids are cached: they never change once created. SQL is the common subset of PostgreSQL and
 * H2 (which runs in its PostgreSQL mode).
 */
public final class JdbcMeasurementStore implements MeasurementStore {

  /** One source of one quantity for one patient. */
  private record Series(String patientId, String code, int mdcCode, String deviceId, String unit) {
    static Series of(Measurement m) {
      return new Series(m.patientId(), m.code(), m.mdcCode(), m.deviceId(), m.unit());
    }
  }

  private static final String COLUMNS =
      "p.id, s.patient_id, s.device_id, s.code, s.mdc_code, p.value_num, s.unit, p.effective_at,"
          + " p.received_at";
  private static final String FROM =
      " from measurement_point p join measurement_series s on s.id = p.series_id";
  private static final String INSERT_POINT =
      "insert into measurement_point (id, series_id, value_num, effective_at, received_at)"
          + " values (?, ?, ?, ?, ?) on conflict do nothing";
  private static final String INSERT_SERIES =
      "insert into measurement_series (patient_id, code, mdc_code, device_id, unit)"
          + " values (?, ?, ?, ?, ?) on conflict do nothing";
  private static final String FIND_SERIES =
      "select id from measurement_series"
          + " where patient_id = ? and code = ? and mdc_code = ? and device_id = ? and unit = ?";

  private static final Comparator<Measurement> NEWEST_FIRST =
      Comparator.comparing(Measurement::effectiveAt).thenComparingLong(Measurement::id).reversed();

  private static final int STREAM_CHUNK = 20_000;

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
  // Whether the database joins laterally (PostgreSQL does, H2 does not); asked when first needed.
  private volatile Boolean lateralJoins;
  // A ward's worth of sources many times over; an evicted series is simply looked up again.
  private final Cache<Series, Integer> seriesIds =
      Caffeine.newBuilder().maximumSize(200_000).build();

  public JdbcMeasurementStore(JdbcTemplate jdbc, TransactionTemplate transaction) {
    this.jdbc = jdbc;
    this.transaction = transaction;
  }

  @Override
  public void append(List<Measurement> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Map<Series, Integer> series = seriesOf(batch);
    transaction.executeWithoutResult(status ->
        jdbc.batchUpdate(
            INSERT_POINT,
            new BatchPreparedStatementSetter() {
              @Override
              public void setValues(PreparedStatement ps, int i) throws SQLException {
                Measurement m = batch.get(i);
                ps.setLong(1, m.id());
                ps.setInt(2, series.get(Series.of(m)));
                ps.setDouble(3, m.value());
                ps.setObject(4, utc(m.effectiveAt()));
                ps.setObject(5, utc(m.receivedAt()));
              }

              @Override
              public int getBatchSize() {
                return batch.size();
              }
            }));
  }

  /**
   * The ids of the batch's series, creating those that do not exist yet. New series are committed
   * on their own, before the points: a series without points is harmless if the points then fail,
   * whereas a cached id whose creation was rolled back would not be.
   */
  private Map<Series, Integer> seriesOf(List<Measurement> batch) {
    Map<Series, Integer> ids = new HashMap<>();
    List<Series> missing = new ArrayList<>();
    for (Measurement m : batch) {
      Series key = Series.of(m);
      if (!ids.containsKey(key)) {
        Integer id = seriesIds.getIfPresent(key);
        ids.put(key, id);
        if (id == null) {
          missing.add(key);
        }
      }
    }
    if (!missing.isEmpty()) {
      transaction.executeWithoutResult(status -> {
        jdbc.batchUpdate(
            INSERT_SERIES,
            missing,
            missing.size(),
            (ps, key) -> {
              ps.setString(1, key.patientId());
              ps.setString(2, key.code());
              ps.setInt(3, key.mdcCode());
              ps.setString(4, key.deviceId());
              ps.setString(5, key.unit());
            });
        for (Series key : missing) {
          Integer id =
              jdbc.queryForObject(
                  FIND_SERIES,
                  Integer.class,
                  key.patientId(),
                  key.code(),
                  key.mdcCode(),
                  key.deviceId(),
                  key.unit());
          ids.put(key, id);
        }
      });
      missing.forEach(key -> seriesIds.put(key, ids.get(key)));
    }
    return ids;
  }

  @Override
  public Optional<Measurement> find(long id) {
    return jdbc.query("select " + COLUMNS + FROM + " where p.id = ?", ROW, id).stream().findFirst();
  }

  /**
   * One page of a patient's readings. Each of the patient's series (one per device and code) is
   * walked down its own time index from the cursor, at most a page's worth; the walks are merged in
   * the database. A single query over all the series would have to sort every reading in the range
   * before it could return the first page.
   */
  @Override
  public List<Measurement> search(MeasurementQuery query) {
    if (query.limit() == 0) {
      return List.of();
    }
    List<Integer> series = seriesOf(query.patientId(), query.codes(), query.devices());
    if (series.isEmpty()) {
      return List.of();
    }
    String direction = query.newestFirst() ? " desc" : " asc";
    String walkOrder = " order by p.effective_at" + direction + ", p.id" + direction + " limit ?";
    String mergedOrder = " order by effective_at" + direction + ", id" + direction + " limit ?";
    List<Object> args = new ArrayList<>();
    List<String> walks = new ArrayList<>();
    for (Integer id : series) {
      StringBuilder walk =
          new StringBuilder("select ")
              .append(COLUMNS)
              .append(FROM)
              .append(" where p.series_id = ?");
      args.add(id);
      timeBounds(query, walk, args);
      walk.append(after(query, args)).append(walkOrder);
      args.add(query.limit());
      walks.add(walk.toString());
    }
    if (walks.size() == 1) {
      return jdbc.query(walks.getFirst(), ROW, args.toArray());
    }
    String merged =
        "select * from ("
            + walks.stream().map(w -> "(" + w + ")").collect(Collectors.joining(" union all "))
            + ") merged"
            + mergedOrder;
    args.add(query.limit());
    return jdbc.query(merged, ROW, args.toArray());
  }

  /** The ids of a patient's series of the codes (all codes if none are given). */
  private List<Integer> seriesOf(String patientId, Set<String> codes, Set<String> devices) {
    List<Object> args = new ArrayList<>();
    args.add(patientId);
    String sql = "select id from measurement_series where patient_id = ?";
    if (!codes.isEmpty()) {
      sql += " and code in (" + marks(codes.size()) + ")";
      args.addAll(codes.stream().sorted().toList());
    }
    if (!devices.isEmpty()) {
      sql += " and device_id in (" + marks(devices.size()) + ")";
      args.addAll(devices.stream().sorted().toList());
    }
    return jdbc.queryForList(sql + " order by id", Integer.class, args.toArray());
  }

  @Override
  public long count(MeasurementQuery query) {
    List<Object> args = new ArrayList<>();
    Long count =
        jdbc.queryForObject(
            "select count(*)" + FROM + where(query, args), Long.class, args.toArray());
    return count == null ? 0 : count;
  }

  @Override
  public List<Measurement> latest(Set<String> patientIds, Set<String> codes, int max) {
    if (patientIds.isEmpty() || max <= 0) {
      return List.of();
    }
    List<Measurement> newest =
        joinsLaterally()
            ? newestByLateralJoin(patientIds, codes, max)
            : newestBySeriesQueries(patientIds, codes, max);
    Map<List<String>, List<Measurement>> byPatientAndCode = new LinkedHashMap<>();
    newest.stream()
        .sorted(NEWEST_FIRST)
        .forEach(m ->
            byPatientAndCode
                .computeIfAbsent(List.of(m.patientId(), m.code()), k -> new ArrayList<>())
                .add(m));
    return byPatientAndCode.values().stream()
        .flatMap(readings -> readings.stream().limit(max))
        .toList();
  }

  private boolean joinsLaterally() {
    if (lateralJoins == null) {
      lateralJoins =
          "PostgreSQL"
              .equals(
                  jdbc.execute(
                      (ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName()));
    }
    return lateralJoins;
  }

  /**
   * The newest points of each series of the patients, each one short walk down the series' time
   * index; series of the same code (a patient moved to another monitor) are merged by the caller.
   * PostgreSQL does it in one statement with a lateral join.
   */
  private List<Measurement> newestByLateralJoin(
      Set<String> patientIds, Set<String> codes, int max) {
    List<Object> args = new ArrayList<>();
    args.add(max);
    args.addAll(patientIds);
    String sql =
        "select p.id, s.patient_id, s.device_id, s.code, s.mdc_code, p.value_num, s.unit,"
            + " p.effective_at, p.received_at from measurement_series s cross join lateral"
            + " (select id, value_num, effective_at, received_at from measurement_point"
            + " where series_id = s.id order by effective_at desc, id desc limit ?) p"
            + " where s.patient_id in ("
            + marks(patientIds.size())
            + ")";
    if (!codes.isEmpty()) {
      sql += " and s.code in (" + marks(codes.size()) + ")";
      args.addAll(codes);
    }
    return jdbc.query(sql, ROW, args.toArray());
  }

  /** The same for databases without lateral joins (H2): the series first, then one walk each. */
  private List<Measurement> newestBySeriesQueries(
      Set<String> patientIds, Set<String> codes, int max) {
    List<Object> args = new ArrayList<>(patientIds);
    String sql =
        "select id from measurement_series where patient_id in (" + marks(patientIds.size()) + ")";
    if (!codes.isEmpty()) {
      sql += " and code in (" + marks(codes.size()) + ")";
      args.addAll(codes);
    }
    List<Integer> series = jdbc.queryForList(sql, Integer.class, args.toArray());
    if (series.isEmpty()) {
      return List.of();
    }
    String branch =
        "(select "
            + COLUMNS
            + FROM
            + " where p.series_id = ? order by p.effective_at desc, p.id desc limit ?)";
    List<Object> branchArgs = new ArrayList<>();
    for (Integer id : series) {
      branchArgs.add(id);
      branchArgs.add(max);
    }
    return jdbc.query(
        String.join(" union all ", Collections.nCopies(series.size(), branch)),
        ROW,
        branchArgs.toArray());
  }

  @Override
  public List<Statistics> statistics(
      String patientId, Set<String> codes, Optional<Instant> from, Optional<Instant> to) {
    List<Object> args = new ArrayList<>();
    MeasurementQuery query =
        MeasurementQuery.forPatient(patientId).withCodes(codes).between(from, to);
    String sql =
        "select s.code, s.unit, count(*) as n, min(p.value_num) as low, max(p.value_num) as high,"
            + " avg(p.value_num) as mean,"
            + " percentile_cont(0.5) within group (order by p.value_num) as median,"
            + " min(p.effective_at) as first_at, max(p.effective_at) as last_at"
            + FROM
            + where(query, args)
            + " group by s.code, s.unit order by s.code, s.unit";
    return jdbc.query(
        sql,
        (rs, row) ->
            new Statistics(
                patientId,
                rs.getString("code"),
                rs.getString("unit"),
                rs.getLong("n"),
                rs.getDouble("low"),
                rs.getDouble("high"),
                rs.getDouble("mean"),
                rs.getDouble("median"),
                rs.getObject("first_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_at", OffsetDateTime.class).toInstant()),
        args.toArray());
  }

  private static String marks(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  @Override
  public void forEach(Optional<Instant> since, Consumer<Measurement> each) {
    // In chunks along the primary key rather than one big ordered query: neither database has
    // to sort or hold the whole result (H2 spilled it to a temporary file), and no transaction
    // stays open for the length of an export.
    String sql =
        "select "
            + COLUMNS
            + FROM
            + " where p.id > ?"
            + (since.isPresent() ? " and p.received_at >= ?" : "")
            + " order by p.id limit "
            + STREAM_CHUNK;
    long after = Long.MIN_VALUE;
    while (true) {
      List<Measurement> chunk =
          since.isPresent()
              ? jdbc.query(sql, ROW, after, utc(since.get()))
              : jdbc.query(sql, ROW, after);
      chunk.forEach(each);
      if (chunk.size() < STREAM_CHUNK) {
        return;
      }
      after = chunk.getLast().id();
    }
  }

  @Override
  public long highestId() {
    Long max = jdbc.queryForObject("select max(id) from measurement_point", Long.class);
    return max == null ? 0 : max;
  }

  private static String where(MeasurementQuery query, List<Object> args) {
    StringBuilder sql = new StringBuilder(" where s.patient_id = ?");
    args.add(query.patientId());
    if (!query.codes().isEmpty()) {
      sql.append(" and s.code in (").append(marks(query.codes().size())).append(')');
      args.addAll(query.codes().stream().sorted().toList());
    }
    if (!query.devices().isEmpty()) {
      sql.append(" and s.device_id in (").append(marks(query.devices().size())).append(')');
      args.addAll(query.devices().stream().sorted().toList());
    }
    timeBounds(query, sql, args);
    return sql.toString();
  }

  private static void timeBounds(MeasurementQuery query, StringBuilder sql, List<Object> args) {
    query
        .from()
        .ifPresent(from -> {
          sql.append(" and p.effective_at >= ?");
          args.add(utc(from));
        });
    query
        .to()
        .ifPresent(to -> {
          sql.append(" and p.effective_at <= ?");
          args.add(utc(to));
        });
    query
        .storedFrom()
        .ifPresent(from -> {
          sql.append(" and p.received_at >= ?");
          args.add(utc(from));
        });
    query
        .storedTo()
        .ifPresent(to -> {
          sql.append(" and p.received_at <= ?");
          args.add(utc(to));
        });
  }

  /** Continues after the previous page's last reading, in the query's order. */
  private static String after(MeasurementQuery query, List<Object> args) {
    if (query.after().isEmpty()) {
      return "";
    }
    MeasurementQuery.Cursor last = query.after().get();
    args.add(utc(last.effectiveAt()));
    args.add(utc(last.effectiveAt()));
    args.add(last.id());
    String beyond = query.newestFirst() ? "<" : ">";
    // The first condition bounds the walk down the series' time index; the second skips what the
    // previous page already returned at the cursor's own instant.
    return " and p.effective_at "
        + beyond
        + "= ? and (p.effective_at "
        + beyond
        + " ? or p.id "
        + beyond
        + " ?)";
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
