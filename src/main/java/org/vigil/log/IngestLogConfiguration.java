package org.vigil.log;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IngestLogConfiguration {

  @Bean
  IngestLog ingestLog(IngestLogProperties settings, MeterRegistry meters) {
    return new InProcessIngestLog(settings, meters);
  }

  /**
   * Closes the log after the web server has stopped taking requests but before the database is
   * closed, so that what was appended is still stored (or its sender told to retry).
   */
  @Bean
  SmartLifecycle ingestLogShutdown(IngestLog log) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        running = true;
      }

      @Override
      public void stop() {
        log.close();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      @Override
      public int getPhase() {
        return DEFAULT_PHASE - 4096;
      }
    };
  }
}
