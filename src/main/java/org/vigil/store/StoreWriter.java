package org.vigil.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import org.vigil.log.IngestLog;

/**
 * Moves readings from the ingest log into the measurement store, in the batches the log hands it.
 * It is the log's acknowledging group: a device hears "accepted" only after this commit.
 */
@Component
public class StoreWriter {

  /** The consumer group name, which the in-process log waits for before acknowledging. */
  public static final String GROUP = "store";

  public StoreWriter(IngestLog log, MeasurementStore store, MeterRegistry meters) {
    Timer writes =
        Timer.builder("vigil.store.batch.duration")
            .description("Time to write one batch of readings durably")
            .register(meters);
    DistributionSummary sizes =
        DistributionSummary.builder("vigil.store.batch.size")
            .description("Readings per stored batch")
            .baseUnit("readings")
            .register(meters);
    log.subscribe(
        GROUP,
        batch -> {
          writes.record(() -> store.append(batch));
          sizes.record(batch.size());
        });
  }
}
