package org.vigil.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementIds;

class NormalizerTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:05Z");
  private final Normalizer normalizer =
      new Normalizer(
          MeasurementCatalog.standard(),
          new MeasurementIds(Clock.fixed(NOW, ZoneOffset.UTC), 0, 0),
          Duration.ofMinutes(5));

  private static DeviceReading reading(String code, double value, String unit) {
    return new DeviceReading("measurements[0]", "http://loinc.org", code, value, unit, NOW);
  }

  private List<Measurement> normalize(DeviceReading... readings) {
    return normalizer.normalize(List.of(readings), "patient-1", "monitor-1", NOW);
  }

  @Test
  void keepsCanonicalValuesAsSent() {
    Measurement m = normalize(reading("8867-4", 72, "/min")).getFirst();

    assertThat(m.code()).isEqualTo("8867-4");
    assertThat(m.value()).isEqualTo(72);
    assertThat(m.unit()).isEqualTo("/min");
    assertThat(m.patientId()).isEqualTo("patient-1");
    assertThat(m.deviceId()).isEqualTo("monitor-1");
    assertThat(m.effectiveAt()).isEqualTo(NOW);
    assertThat(m.receivedAt()).isEqualTo(NOW);
  }

  @Test
  void convertsUnitsDevicesSendToCanonicalUcum() {
    List<Measurement> m =
        normalize(
            reading("8310-5", 98.6, "[degF]"),
            reading("8480-6", 16, "kPa"),
            reading("29463-7", 154, "[lb_av]"),
            reading("2339-0", 5.5, "mmol/L"),
            reading("8867-4", 61, "bpm"));

    assertThat(m)
        .extracting(Measurement::value, Measurement::unit)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(37.0, "Cel"),
            org.assertj.core.groups.Tuple.tuple(120.0, "mm[Hg]"),
            org.assertj.core.groups.Tuple.tuple(69.85, "kg"),
            org.assertj.core.groups.Tuple.tuple(99.0, "mg/dL"),
            org.assertj.core.groups.Tuple.tuple(61.0, "/min"));
  }

  @Test
  void givesEveryReadingItsOwnIncreasingId() {
    List<Measurement> m = normalize(reading("8867-4", 72, "/min"), reading("9279-1", 16, "/min"));

    assertThat(m.get(1).id()).isGreaterThan(m.get(0).id());
  }

  @Test
  void truncatesTimesToTheMillisecond() {
    DeviceReading precise =
        new DeviceReading(
            "measurements[0]",
            "http://loinc.org",
            "8867-4",
            72,
            "/min",
            Instant.parse("2026-11-24T10:00:00.123456789Z"));

    assertThat(normalize(precise).getFirst().effectiveAt())
        .isEqualTo(Instant.parse("2026-11-24T10:00:00.123Z"));
  }

  @Test
  void rejectsTheWholeMessageWhenAnyReadingIsWrong() {
    assertThatThrownBy(() ->
            normalize(
                reading("8867-4", 72, "/min"),
                new DeviceReading(
                    "measurements[1]", "http://snomed.info/sct", "364075005", 72, "/min", NOW),
                new DeviceReading("measurements[2]", "http://loinc.org", "1234-5", 1, "1", NOW),
                new DeviceReading("measurements[3]", "http://loinc.org", "8867-4", 1, "Hz", NOW)))
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e ->
                assertThat(e.problems())
                    .extracting(MessageProblem::location)
                    .containsExactly(
                        "measurements[1].system", "measurements[2].code", "measurements[3].unit"));
  }

  @Test
  void explainsWhatWouldHaveBeenAccepted() {
    assertThatThrownBy(() -> normalize(reading("8867-4", 72, "Hz")))
        .hasMessageContaining(
            "unit 'Hz' is not accepted for 8867-4 (Heart rate); use one of /min, bpm, {beats}/min");
    assertThatThrownBy(() ->
            normalize(new DeviceReading("measurements[0]", "urn:other", "8867-4", 72, "/min", NOW)))
        .hasMessageContaining("unknown code system 'urn:other'; Vigil accepts LOINC codes");
  }

  @Test
  void rejectsReadingsFromAClockFarAheadOrNeverSet() {
    DeviceReading ahead =
        new DeviceReading(
            "measurements[0]", "http://loinc.org", "8867-4", 72, "/min", NOW.plusSeconds(600));
    DeviceReading unset =
        new DeviceReading(
            "measurements[0]",
            "http://loinc.org",
            "8867-4",
            72,
            "/min",
            Instant.parse("1970-01-01T00:00:10Z"));

    assertThatThrownBy(() -> normalize(ahead))
        .hasMessageContaining("is 600 s ahead of Vigil's clock; at most 300 s are accepted");
    assertThatThrownBy(() -> normalize(unset)).hasMessageContaining("the device clock looks unset");
    assertThat(normalize(reading("8867-4", 72, "/min"))).hasSize(1);
  }
}
