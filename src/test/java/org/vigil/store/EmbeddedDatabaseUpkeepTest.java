package org.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseUpkeepTest {

  @TempDir Path dir;

  /**
   * Many small commits, as ingest makes them, leave the file's chunks nearly empty; H2 without its
   * background writer never rewrites them, the upkeep does. Retention is set to 0 here so that the
   * test need not wait H2's 45 s before a chunk may be rewritten.
   */
  @Test
  void rewritesTheNearlyEmptyChunksThatSmallCommitsLeave() throws SQLException {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:file:" + dir.resolve("vigil") + DatabaseProperties.H2_OPTIONS);
    try (Connection connection = dataSource.getConnection()) {
      connection.createStatement().execute("set retention_time 0");
      connection.createStatement().execute("create table point (id bigint primary key, v double)");
      connection.setAutoCommit(false);
      var insert = connection.prepareStatement("insert into point values (?, ?)");
      for (int commit = 0; commit < 2_000; commit++) {
        for (int i = 0; i < 10; i++) {
          insert.setLong(1, commit * 10L + i);
          insert.setDouble(2, Math.sin(commit + i));
          insert.addBatch();
        }
        insert.executeBatch();
        connection.commit();
      }
      MVStore store = EmbeddedDatabaseUpkeep.store(connection).orElseThrow();
      int before = store.getFileStore().getChunksFillRate();
      long sizeBefore = store.getFileStore().size();

      EmbeddedDatabaseUpkeep upkeep = new EmbeddedDatabaseUpkeep(dataSource, Duration.ofSeconds(1));
      for (int round = 0; round < 20; round++) {
        upkeep.keepUp();
        // Freed chunks are let go at the next commit; on a live node commits never stop.
        insert.setLong(1, -1L - round);
        insert.setDouble(2, round);
        insert.executeUpdate();
        connection.commit();
      }

      assertThat(before).as("live share of the chunks before").isLessThan(30);
      assertThat(store.getFileStore().getChunksFillRate())
          .as("live share of the chunks after")
          .isGreaterThan(60);
      assertThat(store.getFileStore().size()).as("file size").isLessThan(sizeBefore / 5);
    }
  }

  @Test
  void leavesAnInMemoryDatabaseAlone() throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:upkeep")) {
      assertThat(EmbeddedDatabaseUpkeep.store(connection)).isEmpty();
    }
  }

  @Test
  void runsOnlyBetweenStartAndStop() {
    EmbeddedDatabaseUpkeep upkeep =
        new EmbeddedDatabaseUpkeep(new JdbcDataSource(), Duration.ofSeconds(1));
    upkeep.start();
    assertThat(upkeep.isRunning()).isTrue();
    upkeep.stop();
    assertThat(upkeep.isRunning()).isFalse();
  }
}
