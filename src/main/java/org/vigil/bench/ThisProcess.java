package org.vigil.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.Optional;

/**
 * The gauges of this JVM, for a node started in the benchmark's own process: the figures include
 * the benchmark's clients; the machine's load shows what else was running.
 */
public final class ThisProcess implements ResourceSampler.Gauges {

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  @Override
  public String measured() {
    return "this process (node and benchmark clients)";
  }

  @Override
  public Optional<ResourceSampler.Sample> read() {
    double process = os.getProcessCpuLoad() * 100;
    double machine = os.getCpuLoad() * 100;
    if (process < 0 || machine < 0) {
      return Optional.empty();
    }
    MemoryUsage heap = memory.getHeapMemoryUsage();
    return Optional.of(new ResourceSampler.Sample(process, machine, heap.getUsed(), heap.getMax()));
  }
}
