package org.vigil.bench;

import org.HdrHistogram.Histogram;

/**
 * Latencies of one run, in milliseconds, from an HdrHistogram of nanoseconds.
 *
 * @param count samples
 * @param p50 median
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param max the worst
 */
public record LatencyReport(long count, double p50, double p95, double p99, double max) {

  static LatencyReport of(Histogram nanos) {
    return new LatencyReport(
        nanos.getTotalCount(),
        millis(nanos.getValueAtPercentile(50)),
        millis(nanos.getValueAtPercentile(95)),
        millis(nanos.getValueAtPercentile(99)),
        millis(nanos.getMaxValue()));
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
