package org.vigil.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.measurement.Measurement;

/**
 * One batch of readings appended durably, as the store writer does with what the ingest log hands
 * it: into the embedded H2 database with the options a node uses (commits on disk before the
 * acknowledgement), in a fresh temporary directory, migrated by Flyway as TestDatabase does. A
 * ward's worth of series (20 patients, 5 vitals) already exists, so a batch inserts points only, as
 * in steady state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MeasurementAppendBenchmark {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final String[] CODES = {"8867-4", "59408-5", "9279-1", "8480-6", "8310-5"};
  private static final String[] UNITS = {"/min", "%", "/min", "mm[Hg]", "Cel"};
  private static final int PATIENTS = 20;

  /** Readings per batch: one device message, a busy moment, the ingest log's usual drain. */
  @Param({"1", "100", "1000"})
  public int batchSize;

  private Path directory;
  private HikariDataSource dataSource;
  private JdbcTemplate jdbc;
  private MeasurementStore store;
  private long nextId = 1;
  private List<Measurement> batch;

  @Setup(Level.Trial)
  public void createDatabase() throws IOException {
    directory = Files.createTempDirectory("vigil-jmh-store");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(new DatabaseProperties("", "", "").jdbcUrl(directory));
    config.setMaximumPoolSize(4);
    config.setPoolName("jmh-store");
    dataSource = new HikariDataSource(config);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = new JdbcTemplate(dataSource);
    store =
        new JdbcMeasurementStore(
            jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    store.append(readings(PATIENTS * CODES.length));
  }

  /** Each iteration starts from the same table size, so iterations measure the same thing. */
  @Setup(Level.Iteration)
  public void emptyPoints() {
    jdbc.update("delete from measurement_point");
  }

  /** The next batch, made outside the measurement; ids must be new or the insert does nothing. */
  @Setup(Level.Invocation)
  public void nextBatch() {
    batch = readings(batchSize);
  }

  private List<Measurement> readings(int count) {
    List<Measurement> readings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long id = nextId++;
      int series = (int) (id % (PATIENTS * CODES.length));
      Instant at = T0.plusMillis(id * 10);
      readings.add(
          new Measurement(
              id,
              "patient-" + series / CODES.length,
              "monitor-" + series / CODES.length,
              CODES[series % CODES.length],
              0,
              60 + id % 40,
              UNITS[series % CODES.length],
              at,
              at.plusMillis(250)));
    }
    return readings;
  }

  @Benchmark
  public List<Measurement> append() {
    store.append(batch);
    return batch;
  }

  @TearDown(Level.Trial)
  public void dropDatabase() throws IOException {
    dataSource.close();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
