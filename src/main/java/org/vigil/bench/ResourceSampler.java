package org.vigil.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Samples this process's CPU load and heap twice a second. The node runs in this process, so the
 * figures include the benchmark's own clients; the machine's load shows what else was running.
 */
public final class ResourceSampler implements AutoCloseable {

  /**
   * What was used while sampling.
   *
   * @param processCpuMean this process's mean CPU load, in percent of all the machine's cores
   * @param processCpuMax its highest half-second
   * @param machineCpuMean the whole machine's mean CPU load, every process, in percent
   * @param heapUsedMaxMegabytes the most heap in use at a sample
   * @param heapMaxMegabytes the heap's limit
   */
  public record Usage(
      double processCpuMean,
      double processCpuMax,
      double machineCpuMean,
      long heapUsedMaxMegabytes,
      long heapMaxMegabytes) {}

  private static final long PERIOD_MILLIS = 500;

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread sampler;
  private volatile Window window = new Window();

  /** Sums over one measuring window; replaced whole by {@link #reset()}. */
  private static final class Window {
    final LongAdder samples = new LongAdder();
    final DoubleAdder process = new DoubleAdder();
    final DoubleAdder machine = new DoubleAdder();
    final LongAccumulator processMax = new LongAccumulator(Math::max, 0);
    final LongAccumulator heapMax = new LongAccumulator(Math::max, 0);
  }

  ResourceSampler() {
    sampler = Thread.ofPlatform().name("bench-sampler").daemon().start(this::sample);
  }

  /** Starts a new window. */
  void reset() {
    window = new Window();
  }

  Usage usage() {
    Window w = window;
    long n = Math.max(1, w.samples.sum());
    return new Usage(
        round(w.process.sum() / n),
        w.processMax.get() / 10.0,
        round(w.machine.sum() / n),
        w.heapMax.get() / (1024 * 1024),
        memory.getHeapMemoryUsage().getMax() / (1024 * 1024));
  }

  private void sample() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      double process = os.getProcessCpuLoad() * 100;
      double machine = os.getCpuLoad() * 100;
      if (process < 0 || machine < 0) {
        continue; // not yet known
      }
      Window w = window;
      w.samples.increment();
      w.process.add(process);
      w.machine.add(machine);
      w.processMax.accumulate(Math.round(process * 10));
      w.heapMax.accumulate(memory.getHeapMemoryUsage().getUsed());
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
