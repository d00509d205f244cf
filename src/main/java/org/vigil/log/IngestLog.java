package org.vigil.log;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.vigil.measurement.Measurement;

/**
 * The ordered log every normalized reading passes through, partitioned by patient so that one
 * patient's readings are always seen in order by one consumer. In one process it lives in memory
 * ({@link InProcessIngestLog}); in a cluster it is a Kafka topic keyed by patient. Callers must not
 * assume which.
 *
 * <p>An append completes once its readings are <em>durable</em> — only then may a transport
 * acknowledge the device. What makes them durable is the implementation's business: the in-process
 * log waits for the store writer's commit, a replicated log for the brokers' acknowledgement.
 */
public interface IngestLog extends AutoCloseable {

  /**
   * Appends the readings of one device message. They must all be for one patient.
   *
   * @return completes when the readings are durable; completes exceptionally with {@link
   *     IngestLogUnavailableException} when they are not (the sender should retry later)
   */
  CompletableFuture<Void> append(List<Measurement> measurements);

  /**
   * Registers the consumers of a group. Each group sees every reading once, in order per patient.
   * Register all groups at start-up, before the first append.
   */
  void subscribe(String group, LogConsumer consumer);

  /** Readings appended but not yet processed, per consumer group. */
  Map<String, Long> lag();

  /** Stops taking appends and finishes what was already appended, as far as possible. */
  @Override
  void close();
}
