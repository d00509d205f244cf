package org.vigil.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * The databases Vigil runs on, each giving a fresh, migrated database per test class: H2 in its
 * PostgreSQL mode (the embedded default) and the real PostgreSQL server on 127.0.0.1:5432 (set
 * {@code VIGIL_TEST_POSTGRES_URL} to use another). A PostgreSQL that is not there fails the test:
 * it is never skipped.
 */
public enum TestDatabase {
  H2,
  POSTGRESQL;

  public static final String POSTGRES_URL =
      System.getenv()
          .getOrDefault(
              "VIGIL_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  /** A fresh database with Vigil's schema. Close it to drop the schema. */
  public Instance create() {
    String name = "vigil_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return switch (this) {
      case H2 -> {
        String url =
            "jdbc:h2:mem:"
                + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";DB_CLOSE_DELAY=-1";
        yield migrated(url, null, () -> {});
      }
      case POSTGRESQL -> {
        execute(POSTGRES_URL, "create schema " + name);
        String url = POSTGRES_URL + "&currentSchema=" + name + "&reWriteBatchedInserts=true";
        yield migrated(url, name, () -> execute(POSTGRES_URL, "drop schema " + name + " cascade"));
      }
    };
  }

  /** A migrated database, with its JDBC URL for tests that start a whole Vigil on it. */
  public record Instance(HikariDataSource dataSource, String url, Runnable dropper)
      implements AutoCloseable {
    @Override
    public void close() {
      dataSource.close();
      dropper.run();
    }
  }

  private static Instance migrated(String url, String schema, Runnable dropper) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(4);
    config.setPoolName("test-" + schema);
    HikariDataSource dataSource = new HikariDataSource(config);
    var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
    if (schema != null) {
      flyway.schemas(schema);
    }
    flyway.load().migrate();
    return new Instance(dataSource, url, dropper);
  }

  private static void execute(String url, String sql) {
    try (Connection c = java.sql.DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at "
              + url
              + " is needed by this test (.ci/run starts it): "
              + e.getMessage().toLowerCase(Locale.ROOT),
          e);
    }
  }
}
