package org.vigil.bench;

import java.util.Optional;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Samples a Vigil node's CPU load and heap twice a second while a benchmark runs: the node in this
 * process ({@link ThisProcess}), or a node running elsewhere through its metrics endpoint ({@link
 * NodeMetrics}).
 */
public final class ResourceSampler implements AutoCloseable {

  /**
   * What was used while sampling.
   *
   * @param measured whose figures these are: "this process" (node and benchmark clients together)
   *     or the metrics endpoint of the node under test
   * @param processCpuMean the node process's mean CPU load, in percent of all the machine's cores
   * @param processCpuMax its highest half-second
   * @param machineCpuMean the whole machine's mean CPU load, every process, in percent
   * @param heapUsedMaxMegabytes the most heap in use at a sample
   * @param heapMaxMegabytes the heap's limit
   * @param samples how many samples the figures rest on
   */
  public record Usage(
      String measured,
      double processCpuMean,
      double processCpuMax,
      double machineCpuMean,
      long heapUsedMaxMegabytes,
      long heapMaxMegabytes,
      long samples) {}

  /** One reading of the node's gauges. */
  public record Sample(
      double processCpuPercent, double machineCpuPercent, long heapUsedBytes, long heapMaxBytes) {}

  /** Where samples come from. */
  public interface Gauges {

    /** Who is measured, for the report. */
    String measured();

    /** The gauges now, or empty while they are not yet known (the JVM's first CPU reading). */
    Optional<Sample> read();
  }

  private static final long PERIOD_MILLIS = 500;

  private final Gauges gauges;
  private final Thread sampler;
  private volatile Window window = new Window();

  /** Sums over one measuring window; replaced whole by {@link #reset()}. */
  private static final class Window {
    final LongAdder samples = new LongAdder();
    final DoubleAdder process = new DoubleAdder();
    final DoubleAdder machine = new DoubleAdder();
    final LongAccumulator processMax = new LongAccumulator(Math::max, 0);
    final LongAccumulator heapMax = new LongAccumulator(Math::max, 0);
    volatile long heapLimit;
  }

  public ResourceSampler(Gauges gauges) {
    this.gauges = gauges;
    sampler = Thread.ofPlatform().name("bench-sampler").daemon().start(this::sample);
  }

  /** Starts a new window. */
  public void reset() {
    window = new Window();
  }

  public Usage usage() {
    Window w = window;
    long taken = w.samples.sum();
    long n = Math.max(1, taken);
    return new Usage(
        gauges.measured(),
        round(w.process.sum() / n),
        w.processMax.get() / 10.0,
        round(w.machine.sum() / n),
        w.heapMax.get() / (1024 * 1024),
        w.heapLimit / (1024 * 1024),
        taken);
  }

  private void sample() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      Optional<Sample> read = gauges.read();
      if (read.isEmpty()) {
        continue;
      }
      Sample s = read.get();
      Window w = window;
      w.samples.increment();
      w.process.add(s.processCpuPercent());
      w.machine.add(s.machineCpuPercent());
      w.processMax.accumulate(Math.round(s.processCpuPercent() * 10));
      w.heapMax.accumulate(s.heapUsedBytes());
      w.heapLimit = s.heapMaxBytes();
    }
  }

  private static double round(double percent) {
    return Math.round(percent * 10) / 10.0;
  }

  @Override
  public void close() {
    sampler.interrupt();
  }
}
