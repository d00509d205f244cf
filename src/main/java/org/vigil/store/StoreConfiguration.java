package org.vigil.store;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.measurement.MeasurementIds;
import org.vigil.node.NodeProperties;

@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

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
