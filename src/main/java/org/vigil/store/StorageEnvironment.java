package org.vigil.store;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the database from Vigil's own settings: {@code vigil.db-url} when given (PostgreSQL in a
 * cluster), else an embedded H2 file database under {@code vigil.data-dir}. An explicit {@code
 * spring.datasource.url} wins over both.
 */
public final class StorageEnvironment implements EnvironmentPostProcessor {

  /**
   * PostgreSQL compatibility so one set of SQL serves both; WRITE_DELAY=0 so that a commit is on
   * disk before the device hears "accepted" (H2's default delays the write by up to half a second,
   * which a kill -9 would lose); the database is closed by Vigil's shutdown, not H2's own hook, so
   * the ingest log can still drain into it.
   */
  static final String H2_OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
          + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.containsProperty("spring.datasource.url")) {
      return;
    }
    Map<String, Object> derived = new HashMap<>();
    derived.put("spring.datasource.url", jdbcUrl(environment));
    String user = environment.getProperty("vigil.db-user", "");
    if (!user.isBlank()) {
      derived.put("spring.datasource.username", user);
    }
    String password = environment.getProperty("vigil.db-password", "");
    if (!password.isBlank()) {
      derived.put("spring.datasource.password", password);
    }
    environment.getPropertySources().addLast(new MapPropertySource("vigil-storage", derived));
  }

  static String jdbcUrl(ConfigurableEnvironment environment) {
    String url = environment.getProperty("vigil.db-url", "").strip();
    if (url.isEmpty()) {
      Path dataDir = Path.of(environment.getProperty("vigil.data-dir", "./vigil-data"));
      return h2Url(dataDir);
    }
    return withBatchRewrite(url);
  }

  static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("db/vigil") + H2_OPTIONS;
  }

  /** PostgreSQL's driver sends a JDBC batch as one multi-row insert only when asked to. */
  static String withBatchRewrite(String url) {
    if (!url.startsWith("jdbc:postgresql:") || url.contains("reWriteBatchedInserts")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }
}
