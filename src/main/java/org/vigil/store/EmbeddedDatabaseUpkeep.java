package org.vigil.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the embedded database's file the size of what it holds.
 *
 * <p>H2 writes every commit as a new chunk at the end of its file and reuses a chunk's space only
 * once none of its pages is live. Its background writer rewrites the nearly empty chunks, but Vigil
 * runs H2 without that writer ({@code WRITE_DELAY=0}: a commit is written before the device hears
 * "accepted"), so nothing did: at 5,000 readings a second the file grew by about 13 MB a second,
 * without end, while the live data grew by 0.3 MB (docs/BENCHMARKS.md). Each round this thread
 * rewrites the live pages of the emptiest chunks, as the background writer would have done, a
 * little at a time: a commit waits while a round holds the store, so a round of 16 MB showed in the
 * readings' acknowledgement times and one of 2 MB does not. A PostgreSQL node has nothing to do
 * here: autovacuum is its upkeep.
 *
 * <p>A round first forces the file to the disk. H2 never does between commits: a commit is in the
 * operating system's hands when the device hears "accepted", safe from a crash of Vigil but not
 * from a power failure before the system writes it out (on Linux up to 30 s later); forcing each
 * round narrows that to about a round.
 */
final class EmbeddedDatabaseUpkeep implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseUpkeep.class);

  /** Chunks less full than this are rewritten; H2's own background writer aims at the same. */
  static final int TARGET_FILL_PERCENT = 90;

  /** About this many bytes of live pages are rewritten a round, so that a round stays short. */
  static final int REWRITE_BYTES_PER_ROUND = 2 * 1024 * 1024;

  private final DataSource dataSource;
  private final Duration interval;
  private ScheduledExecutorService rounds;

  EmbeddedDatabaseUpkeep(DataSource dataSource, Duration interval) {
    this.dataSource = dataSource;
    this.interval = interval;
  }

  /**
   * One round: force the file to the disk, then rewrite the emptiest chunks (the next commit lets
   * their space go).
   */
  void keepUp() {
    try (Connection connection = dataSource.getConnection()) {
      store(connection)
          .ifPresent(store -> {
            store.sync();
            store.compact(TARGET_FILL_PERCENT, REWRITE_BYTES_PER_ROUND);
          });
    } catch (SQLException | RuntimeException e) {
      // The next round tries again; the database works on meanwhile, only its file is larger.
      log.warn("Could not keep up the embedded database's file: {}", e.toString());
    }
  }

  /** The file store of an embedded H2 database this process opened; empty for anything else. */
  static Optional<MVStore> store(Connection connection) throws SQLException {
    if (!connection.isWrapperFor(JdbcConnection.class)) {
      return Optional.empty();
    }
    if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
      return Optional.empty(); // another process opened it and serves it to us (AUTO_SERVER)
    }
    var database = session.getDatabase();
    if (!database.isPersistent() || database.getStore() == null) {
      return Optional.empty();
    }
    MVStore store = database.getStore().getMvStore();
    return store.isClosed() || store.getFileStore() == null ? Optional.empty() : Optional.of(store);
  }

  @Override
  public synchronized void start() {
    // A thread of its own rather than the shared scheduler, whose tasks it would hold up.
    rounds =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("embedded-database-upkeep").daemon().factory());
    long millis = interval.toMillis();
    rounds.scheduleWithFixedDelay(this::keepUp, millis, millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (rounds != null) {
      rounds.shutdownNow();
      rounds = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return rounds != null;
  }
}
