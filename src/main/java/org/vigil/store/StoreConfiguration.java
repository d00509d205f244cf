package org.vigil.store;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.measurement.MeasurementIds;
import org.vigil.node.NodeProperties;

@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

  /**
   * The connection pool, on the database {@link DatabaseProperties} chooses; an explicit {@code
   * spring.datasource.url} wins. Pool settings bind from {@code spring.datasource.hikari.*}.
   */
  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  HikariDataSource dataSource(DatabaseProperties database, NodeProperties node, Environment env) {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setPoolName("vigil");
    dataSource.setJdbcUrl(
        env.getProperty("spring.datasource.url", database.jdbcUrl(node.dataDir())));
    if (database.embedded() && !env.containsProperty("spring.datasource.url")) {
      // The embedded database is reachable by other local processes (AUTO_SERVER), so it has a
      // password of its own, kept beside it and readable by the owner only.
      dataSource.setUsername("vigil");
      dataSource.setPassword(
          EmbeddedDatabasePassword.loadOrCreate(node.dataDir().resolve("db/password")));
    } else {
      if (!database.user().isBlank()) {
        dataSource.setUsername(database.user());
      }
      if (!database.password().isBlank()) {
        dataSource.setPassword(database.password());
      }
    }
    return dataSource;
  }

  @Bean
  EmbeddedDatabaseUpkeep embeddedDatabaseUpkeep(HikariDataSource dataSource, Environment env) {
    return new EmbeddedDatabaseUpkeep(
        dataSource,
        env.getProperty("vigil.db.upkeep-interval", Duration.class, Duration.ofSeconds(1)));
  }

  @Bean
  MeasurementStore measurementStore(JdbcTemplate jdbc, TransactionTemplate transaction) {
    return new JdbcMeasurementStore(jdbc, transaction);
  }

  /** Ids continue above the highest stored one, whatever the clock says after a restart. */
  @Bean
  MeasurementIds measurementIds(NodeProperties node, MeasurementStore store) {
    return new MeasurementIds(Clock.systemUTC(), node.nodeId(), store.highestId());
  }
}
