package org.vigil.chronic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlucoseProfileTest {

  @Test
  void percentilesInterpolateBetweenRanks() {
    double[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    assertThat(GlucoseProfile.percentile(values, 50)).isEqualTo(6.0);
    assertThat(GlucoseProfile.percentile(values, 25)).isEqualTo(3.5);
    assertThat(GlucoseProfile.percentile(values, 5)).isCloseTo(1.5, within(1e-12));
    assertThat(GlucoseProfile.percentile(values, 95)).isCloseTo(10.5, within(1e-12));
  }

  /** Eleven days, each 08:10 at 100 + 10 × day: the 08:00 bin's median is the sixth day's 150. */
  @Test
  void foldsReadingsOntoOneDayByHour() {
    List<GlucoseSample> samples = new ArrayList<>();
    for (int day = 0; day < 11; day++) {
      Instant at = Instant.parse("2026-11-01T08:10:00Z").plus(Duration.ofDays(day));
      samples.add(new GlucoseSample(at, 100 + 10 * day));
    }
    samples.add(new GlucoseSample(Instant.parse("2026-11-01T13:00:00Z"), 90));
    GlucoseProfile profile = GlucoseProfile.of(samples, ZoneOffset.UTC, Duration.ofHours(1));

    assertThat(profile.bins()).hasSize(24);
    GlucoseProfile.Bin eight = profile.bins().get(8);
    assertThat(eight.start()).isEqualTo(LocalTime.of(8, 0));
    assertThat(eight.readings()).isEqualTo(11);
    assertThat(eight.median()).isEqualTo(150.0);
    assertThat(eight.p25()).isEqualTo(125.0);
    assertThat(eight.p75()).isEqualTo(175.0);
    assertThat(eight.p5()).isEqualTo(105.0);
    assertThat(eight.p95()).isEqualTo(195.0);
    // One reading at 13:00: counted, but too few for bands.
    assertThat(profile.bins().get(13).readings()).isEqualTo(1);
    assertThat(profile.bins().get(13).median()).isNaN();
  }
}
