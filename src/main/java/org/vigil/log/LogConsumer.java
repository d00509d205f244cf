package org.vigil.log;

import java.util.List;
import org.vigil.measurement.Measurement;

/** Processes batches of readings from the {@link IngestLog}, in log order per patient. */
@FunctionalInterface
public interface LogConsumer {

  /**
   * Processes one batch. Returning normally means the whole batch is done; throwing means none of
   * it is (the log decides whether to retry or to fail the appends that carried it).
   */
  void process(List<Measurement> batch) throws Exception;
}
