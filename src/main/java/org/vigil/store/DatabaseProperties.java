package org.vigil.store;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which database Vigil stores into: PostgreSQL when {@code url} is given (a cluster, or a node that
 * should use the hospital's database server), else an embedded H2 file database under the data
 * directory.
 *
 * @param url JDBC URL of a PostgreSQL database; empty for the embedded database
 * @param user database user, if not in the URL
 * @param password database password, if not in the URL
 */
@ConfigurationProperties("vigil.db")
public record DatabaseProperties(
    @DefaultValue("") String url,
    @DefaultValue("") String user,
    @DefaultValue("") String password) {

  /**
   * PostgreSQL compatibility so one set of SQL serves both; WRITE_DELAY=0 so that a commit is on
   * disk before the device hears "accepted" (H2's default delays the write by up to half a second,
   * which a kill -9 would lose); AUTO_SERVER lets administrative commands ({@code vigil devices …})
   * in while the node runs (over loopback, with the database's own password). H2 then closes the
   * database from its own shutdown hook, which may race Vigil's: a message arriving in the last
   * moments of a shutdown can be told to retry, but nothing acknowledged is lost. PAGE_SIZE=4096
   * and COMPRESS=TRUE: H2 rewrites each changed page whole at every commit, so smaller, compressed
   * pages cut what a commit of a few readings writes; at 5,000 readings a second the file peaked at
   * 0.93 GB instead of 1.5 (docs/BENCHMARKS.md).
   */
  static final String H2_OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
          + ";WRITE_DELAY=0;PAGE_SIZE=4096;COMPRESS=TRUE;AUTO_SERVER=TRUE";

  @Override
  public String toString() {
    return "DatabaseProperties[url=" + url + ", user=" + user + ", password=<redacted>]";
  }

  public boolean embedded() {
    return url.isBlank();
  }

  /** The JDBC URL to connect to, given where this node keeps its data. */
  String jdbcUrl(Path dataDir) {
    String given = url.strip();
    if (given.isEmpty()) {
      return "jdbc:h2:file:"
          + dataDir.toAbsolutePath().normalize().resolve("db/vigil")
          + H2_OPTIONS;
    }
    // PostgreSQL's driver sends a JDBC batch as one multi-row insert only when asked to.
    if (given.startsWith("jdbc:postgresql:") && !given.contains("reWriteBatchedInserts")) {
      return given + (given.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
    return given;
  }
}
