package org.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every JMH microbenchmark still runs: each, with each of its parameters (the store's with one
 * batch size), once in this JVM for a moment, and gives a result. This keeps the benchmarks working
 * as the code they measure changes; it says nothing about speed, which is measured with {@code
 * -Pjmh} (docs/BENCHMARKS.md).
 */
class MicrobenchmarksTest {

  @Test
  void everyBenchmarkRunsAndGivesAResult() throws RunnerException, IOException {
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include("org\\.vigil\\..*Benchmark\\..*")
                    .forks(0) // in this JVM: a fork would need the test class path passed on
                    .warmupIterations(1)
                    .warmupTime(TimeValue.milliseconds(100))
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(100))
                    // one batch size: each needs its own database, migrated, which takes seconds
                    .param("batchSize", "100")
                    .shouldFailOnError(true)
                    .verbosity(VerboseMode.SILENT)
                    .build())
            .run();

    Map<String, List<Double>> scores =
        results.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.getParams().getBenchmark(),
                    Collectors.mapping(r -> r.getPrimaryResult().getScore(), Collectors.toList())));
    assertThat(scores.keySet())
        .as("benchmarks that ran")
        .containsExactlyInAnyOrderElementsOf(generatedBenchmarks());
    scores.forEach(
        (benchmark, each) -> assertThat(each).as(benchmark).isNotEmpty().allMatch(s -> s > 0));
  }

  /** What JMH's annotation processor found, so that a benchmark that did not run is noticed. */
  private static List<String> generatedBenchmarks() throws IOException {
    try (InputStream in =
        MicrobenchmarksTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
      assertThat(in).as("JMH's benchmark list (is the annotation processor running?)").isNotNull();
      return BenchmarkList.readBenchmarkList(in).stream()
          .map(BenchmarkListEntry::getUsername)
          .distinct()
          .toList();
    }
  }
}
