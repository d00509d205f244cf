package org.vigil.chronic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The consensus CGM metrics against published results for the traces in ../shared/data/cgm (iglu's
 * README, the cgmquantify notebook; see REFERENCE_RESULTS.md there — the files are not copied here,
 * iglu's data being GPL), and against synthetic traces whose answers are worked out by hand.
 */
class TimeInRangeTest {

  private static final Path CGM = Path.of("..", "shared", "data", "cgm");
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  /** iglu README on example_data_1_subject: in_range_70_180 = 91.7, above_250 = 0.377, mean 124. */
  @Test
  void igluExampleSubjectGivesThePublishedTimeInRange() throws IOException {
    Path file = CGM.resolve("iglu_example_data_1_subject.csv");
    Assumptions.assumeTrue(Files.exists(file), "../shared/data/cgm is not here");
    List<GlucoseSample> samples = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8).subList(1, 2916)) {
      String[] cells = line.replace("\"", "").split(",");
      Instant at = LocalDateTime.parse(cells[2].replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      samples.add(new GlucoseSample(at, Double.parseDouble(cells[3])));
    }
    Instant from = samples.getFirst().at();
    TimeInRange tir = TimeInRange.of(samples, from, from.plus(TimeInRange.PERIOD), FIVE_MINUTES);

    assertThat(tir.readings()).isEqualTo(2915);
    assertThat(round(tir.tir(), 1)).isEqualTo(91.7);
    assertThat(round(tir.tar250(), 3)).isEqualTo(0.377);
    assertThat(Math.round(tir.mean())).isEqualTo(124);
    // Computed, not published (REFERENCE_RESULTS.md: "computed here"): a cross-check only.
    assertThat(round(tir.tbr70(), 3)).isEqualTo(0.137);
    assertThat(tir.tbr54()).isZero();
    assertThat(round(tir.tar180(), 3)).isEqualTo(8.199);
    // 2915 of the 4032 five-minute readings of 14 days: 72.3 %, enough.
    assertThat(tir.expectedReadings()).isEqualTo(4032);
    assertThat(tir.sufficient()).isTrue();
  }

  /**
   * cgmquantify's notebook: mean 111.90079180251514, interdaysd 28.799063508925446, interdaycv
   * 25.73624640632627, GMI 5.986666939916162 — on the export without its first reading, which
   * cgmquantify's importdexcom drops with the 11 header rows.
   */
  @Test
  void cgmquantifyDexcomExportGivesThePublishedMeanCvAndGmi() throws IOException {
    // MIT-licensed, so copied to the test resources (cgm/SOURCES.md): this test always runs
    Path file;
    try {
      file =
          Path.of(
              TimeInRangeTest.class.getResource("/cgm/cgmquantify_dexcom_g6_export.csv").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<GlucoseSample> all = dexcomReadings(file);
    assertThat(all).hasSize(2148);
    List<GlucoseSample> asCgmquantify = all.subList(1, all.size());
    Instant from = all.getFirst().at();
    TimeInRange tir =
        TimeInRange.of(asCgmquantify, from, from.plus(TimeInRange.PERIOD), FIVE_MINUTES);

    assertThat(tir.readings()).isEqualTo(2147);
    assertThat(tir.mean()).isCloseTo(111.90079180251514, within(1e-9));
    assertThat(tir.sd()).isCloseTo(28.799063508925446, within(1e-9));
    assertThat(tir.cv()).isCloseTo(25.73624640632627, within(1e-9));
    assertThat(tir.gmi()).isCloseTo(5.986666939916162, within(1e-9));
    // Eight days of a fourteen-day period: 53 % of the expected readings, not enough.
    assertThat(tir.sufficient()).isFalse();
    assertThat(tir.targetsMet()).isFalse();

    // All 2148 readings, cross-checked with REFERENCE_RESULTS.md (computed there, not published).
    TimeInRange whole = TimeInRange.of(all, from, from.plus(TimeInRange.PERIOD), FIVE_MINUTES);
    assertThat(round(whole.tir(), 3)).isEqualTo(93.994);
    assertThat(round(whole.tbr70(), 3)).isEqualTo(1.629);
    assertThat(round(whole.tbr54(), 3)).isEqualTo(0.372);
    assertThat(round(whole.tar180(), 3)).isEqualTo(4.376);
    assertThat(round(whole.tar250(), 3)).isEqualTo(0.326);
  }

  private static List<GlucoseSample> dexcomReadings(Path file) throws IOException {
    List<GlucoseSample> samples = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] cells = line.split(",", -1);
      if (cells.length > 7 && cells[2].equals("EGV")) {
        Instant at = LocalDateTime.parse(cells[1]).toInstant(ZoneOffset.UTC);
        samples.add(new GlucoseSample(at, Double.parseDouble(cells[7])));
      }
    }
    return samples;
  }

  /**
   * Each day of 14 the same 288 five-minute readings: 2 at 50, 10 at 60, one each at exactly 70 and
   * 180 (in range: the ends are included), 198 at 120, 56 at 200 and 20 at 300 mg/dL.
   */
  @Test
  void syntheticTraceGivesHandWorkedBands() {
    List<GlucoseSample> samples = new ArrayList<>();
    int[][] day = {{50, 2}, {60, 10}, {70, 1}, {120, 198}, {180, 1}, {200, 56}, {300, 20}};
    int i = 0;
    for (int d = 0; d < 14; d++) {
      for (int[] band : day) {
        for (int k = 0; k < band[1]; k++) {
          samples.add(new GlucoseSample(START.plus(FIVE_MINUTES.multipliedBy(i++)), band[0]));
        }
      }
    }
    TimeInRange tir = TimeInRange.of(samples, START, START.plus(TimeInRange.PERIOD), FIVE_MINUTES);

    assertThat(tir.readings()).isEqualTo(4032);
    assertThat(tir.capturePercent()).isEqualTo(100.0);
    // 200 of 288 in 70–180; 12 below 70, 2 of them below 54; 76 above 180, 20 of them above 250.
    assertThat(tir.tir()).isCloseTo(100.0 * 200 / 288, within(1e-12)); // 69.444 %
    assertThat(round(tir.tir(), 1)).isEqualTo(69.4);
    assertThat(round(tir.tbr70(), 2)).isEqualTo(4.17);
    assertThat(round(tir.tbr54(), 2)).isEqualTo(0.69);
    assertThat(round(tir.tar180(), 2)).isEqualTo(26.39);
    assertThat(round(tir.tar250(), 2)).isEqualTo(6.94);
    // (100 + 600 + 70 + 23,760 + 180 + 11,200 + 6,000) / 288 = 41,910 / 288
    assertThat(tir.mean()).isCloseTo(41910.0 / 288, within(1e-9));
    assertThat(tir.sufficient()).isTrue();
    assertThat(tir.targetsMet()).isFalse();
  }

  /** 100 and 140 mg/dL alternating: mean 120, SD 20, CV 16.67 %, GMI 3.31 + 0.02392 × 120. */
  @Test
  void syntheticTraceGivesHandWorkedMeanSdCvAndGmi() {
    List<GlucoseSample> samples = new ArrayList<>();
    for (int i = 0; i < 4032; i++) {
      samples.add(
          new GlucoseSample(START.plus(FIVE_MINUTES.multipliedBy(i)), i % 2 == 0 ? 100 : 140));
    }
    TimeInRange tir = TimeInRange.of(samples, START, START.plus(TimeInRange.PERIOD), FIVE_MINUTES);

    assertThat(tir.mean()).isCloseTo(120.0, within(1e-9));
    assertThat(tir.sd()).isCloseTo(20.0, within(1e-9));
    assertThat(tir.cv()).isCloseTo(16.6667, within(1e-4));
    assertThat(tir.gmi()).isCloseTo(6.1804, within(1e-9));
    assertThat(tir.tir()).isEqualTo(100.0);
    assertThat(tir.targetsMet()).isTrue();
  }

  /** 70 % of 4,032 expected is 2,822.4: 2,823 readings are enough, 2,822 are not. */
  @Test
  void sufficiencyRuleBothSidesOfSeventyPercent() {
    assertThat(steady(2823).sufficient()).isTrue();
    assertThat(steady(2823).capturePercent()).isCloseTo(70.01, within(0.01));
    assertThat(steady(2822).sufficient()).isFalse();
    assertThat(steady(2822).capturePercent()).isCloseTo(69.99, within(0.01));
    // In range all the time, but on too few readings: never "targets met".
    assertThat(steady(2822).tir()).isEqualTo(100.0);
    assertThat(steady(2822).targetsMet()).isFalse();
    assertThat(steady(0).sufficient()).isFalse();
    assertThat(steady(0).tir()).isNaN();
  }

  @Test
  void readingsOutsideThePeriodAreNotCounted() {
    List<GlucoseSample> samples =
        List.of(
            new GlucoseSample(START.minusSeconds(1), 40),
            new GlucoseSample(START, 100),
            new GlucoseSample(START.plus(TimeInRange.PERIOD), 40));
    TimeInRange tir = TimeInRange.of(samples, START, START.plus(TimeInRange.PERIOD), FIVE_MINUTES);
    assertThat(tir.readings()).isEqualTo(1);
    assertThat(tir.tbr70()).isZero();
  }

  private static TimeInRange steady(int readings) {
    List<GlucoseSample> samples = new ArrayList<>();
    for (int i = 0; i < readings; i++) {
      samples.add(new GlucoseSample(START.plus(FIVE_MINUTES.multipliedBy(i)), 110));
    }
    return TimeInRange.of(samples, START, START.plus(TimeInRange.PERIOD), FIVE_MINUTES);
  }

  private static double round(double value, int decimals) {
    return java.math.BigDecimal.valueOf(value)
        .setScale(decimals, java.math.RoundingMode.HALF_UP)
        .doubleValue();
  }
}
