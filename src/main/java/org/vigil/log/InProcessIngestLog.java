package org.vigil.log;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.measurement.Measurement;

/**
 * The ingest log of a single node, in memory. Patients are hashed to partitions and partitions to
 * worker threads, so one patient's readings are always handled in order by one thread. Each worker
 * drains whatever has queued up into one batch (natural group commit: the busier the node, the
 * bigger the batches) and hands it first to the acknowledging group — the store writer. Only when
 * that group has processed the batch are the appends completed, and only then do the other groups
 * see it, so nothing downstream ever acts on a reading that could still be lost.
 *
 * <p>Being in memory, this log is not durable by itself: readings waiting in it are lost with the
 * process, which is why appends complete only after the store writer's commit. A device whose
 * message was not acknowledged still has it and sends it again.
 */
public final class InProcessIngestLog implements IngestLog {

  private static final Logger log = LoggerFactory.getLogger(InProcessIngestLog.class);
  private static final long POLL_MILLIS = 100;

  private record Entry(List<Measurement> measurements, CompletableFuture<Void> durable) {}

  private final IngestLogProperties settings;
  private final List<Worker> workers = new ArrayList<>();
  private final List<Follower> followers = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private volatile LogConsumer acknowledging;
  private volatile boolean closed;

  public InProcessIngestLog(IngestLogProperties settings, MeterRegistry meters) {
    this.settings = settings;
    this.meters = meters;
    for (int i = 0; i < settings.workers(); i++) {
      workers.add(new Worker(i));
    }
  }

  @Override
  public CompletableFuture<Void> append(List<Measurement> measurements) {
    if (measurements.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    String patientId = measurements.getFirst().patientId();
    for (Measurement m : measurements) {
      if (!m.patientId().equals(patientId)) {
        throw new IllegalArgumentException("one append carries readings of one patient only");
      }
    }
    if (closed) {
      return CompletableFuture.failedFuture(
          new IngestLogUnavailableException("the node is shutting down; retry on another node"));
    }
    if (acknowledging == null) {
      return CompletableFuture.failedFuture(
          new IngestLogUnavailableException("the store writer has not started yet; retry"));
    }
    Entry entry = new Entry(List.copyOf(measurements), new CompletableFuture<>());
    Worker worker = workers.get(partitionOf(patientId) % workers.size());
    lagOf(settings.acknowledgeAfter()).addAndGet(measurements.size());
    if (!worker.queue.offer(entry)) {
      lagOf(settings.acknowledgeAfter()).addAndGet(-measurements.size());
      return CompletableFuture.failedFuture(
          new IngestLogUnavailableException(
              "the ingest log is full (" + settings.capacity() + " messages waiting); retry"));
    }
    return entry.durable();
  }

  /** The partition a patient's readings go to; stable for the life of the configuration. */
  int partitionOf(String patientId) {
    return Math.floorMod(patientId.hashCode(), settings.partitions());
  }

  @Override
  public synchronized void subscribe(String group, LogConsumer consumer) {
    if (closed) {
      throw new IllegalStateException("the ingest log is closed");
    }
    if (group.equals(settings.acknowledgeAfter())) {
      if (acknowledging != null) {
        throw new IllegalStateException("group " + group + " is already subscribed");
      }
      acknowledging = consumer;
      lagOf(group);
      workers.forEach(Worker::start);
    } else {
      if (followers.stream().anyMatch(f -> f.group.equals(group))) {
        throw new IllegalStateException("group " + group + " is already subscribed");
      }
      followers.add(new Follower(group, consumer, workers.size()));
    }
  }

  @Override
  public Map<String, Long> lag() {
    return lag.entrySet().stream()
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().get()));
  }

  private AtomicLong lagOf(String group) {
    return lag.computeIfAbsent(
        group,
        g -> {
          AtomicLong pending = new AtomicLong();
          Gauge.builder("vigil.ingest.log.lag", pending, AtomicLong::get)
              .description("Readings appended to the ingest log and not yet processed by the group")
              .tag("group", g)
              .baseUnit("readings")
              .register(meters);
          return pending;
        });
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (Worker worker : workers) {
      worker.join();
    }
    for (Worker worker : workers) {
      // Only reached when a worker did not finish in time or never started: fail what is left so
      // that no sender waits forever.
      for (Entry entry; (entry = worker.queue.poll()) != null; ) {
        entry
            .durable()
            .completeExceptionally(
                new IngestLogUnavailableException("the node shut down before storing this; retry"));
      }
    }
    for (Follower follower : followers) {
      follower.close();
    }
  }

  /** Drains its share of partitions into the acknowledging group, then hands on to followers. */
  private final class Worker implements Runnable {
    final int index;
    final BlockingQueue<Entry> queue;
    final Thread thread;

    Worker(int index) {
      this.index = index;
      this.queue = new ArrayBlockingQueue<>(settings.capacity());
      this.thread = Thread.ofPlatform().name("ingest-log-" + index).daemon().unstarted(this);
    }

    void start() {
      thread.start();
    }

    void join() {
      if (!thread.isAlive()) {
        return;
      }
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void run() {
      List<Entry> batch = new ArrayList<>();
      while (true) {
        Entry first;
        try {
          first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          return;
        }
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        batch.clear();
        batch.add(first);
        queue.drainTo(batch, settings.maxBatch() - 1);
        process(batch);
      }
    }

    private void process(List<Entry> batch) {
      List<Measurement> measurements = new ArrayList<>();
      for (Entry entry : batch) {
        measurements.addAll(entry.measurements());
      }
      Exception failure = null;
      try {
        acknowledging.process(measurements);
      } catch (Exception e) {
        failure = e;
      }
      lagOf(settings.acknowledgeAfter()).addAndGet(-measurements.size());
      if (failure != null) {
        log.warn(
            "Could not store a batch of {} readings ({} messages); their senders are told to"
                + " retry: {}",
            measurements.size(),
            batch.size(),
            failure.toString());
        var unavailable =
            new IngestLogUnavailableException("storage is unavailable; retry", failure);
        batch.forEach(entry -> entry.durable().completeExceptionally(unavailable));
        return;
      }
      batch.forEach(entry -> entry.durable().complete(null));
      List<Measurement> durable = List.copyOf(measurements);
      for (Follower follower : followers) {
        follower.offer(index, durable);
      }
    }
  }

  /**
   * A non-acknowledging consumer group, with one queue and thread per worker so that it keeps the
   * per-patient order and cannot slow the store writer down until its queue is full (then it pushes
   * back, which in turn makes the log refuse appends: overload is reported, never hidden).
   */
  private final class Follower {
    final String group;
    final LogConsumer consumer;
    final List<BlockingQueue<List<Measurement>>> queues = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();
    volatile boolean stopping;

    Follower(String group, LogConsumer consumer, int workerCount) {
      this.group = group;
      this.consumer = consumer;
      lagOf(group);
      for (int i = 0; i < workerCount; i++) {
        BlockingQueue<List<Measurement>> queue = new ArrayBlockingQueue<>(settings.capacity());
        queues.add(queue);
        Thread thread =
            Thread.ofPlatform()
                .name("ingest-log-" + group + "-" + i)
                .daemon()
                .start(() -> drain(queue));
        threads.add(thread);
      }
    }

    void offer(int worker, List<Measurement> batch) {
      lagOf(group).addAndGet(batch.size());
      try {
        queues.get(worker).put(batch);
      } catch (InterruptedException e) {
        lagOf(group).addAndGet(-batch.size());
        Thread.currentThread().interrupt();
      }
    }

    private void drain(BlockingQueue<List<Measurement>> queue) {
      List<List<Measurement>> pending = new ArrayList<>();
      while (true) {
        List<Measurement> first;
        try {
          first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          return;
        }
        if (first == null) {
          if (stopping) {
            return;
          }
          continue;
        }
        pending.clear();
        pending.add(first);
        queue.drainTo(pending, settings.maxBatch() - 1);
        List<Measurement> batch = new ArrayList<>();
        pending.forEach(batch::addAll);
        try {
          consumer.process(batch);
        } catch (Exception e) {
          log.error(
              "Consumer group {} failed on a batch of {} readings; they stay stored but this"
                  + " group skipped them: {}",
              group,
              batch.size(),
              e.toString());
        } finally {
          lagOf(group).addAndGet(-batch.size());
        }
      }
    }

    void close() {
      stopping = true;
      for (Thread thread : threads) {
        try {
          thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
