package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementType;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streaming Observation writer writes what HAPI's encoder writes for the Observation {@link
 * ObservationMapper} builds: the same characters, so the same JSON tree, and HAPI's parser reads it
 * back as an Observation deeply equal to the built one — for every kind of reading Vigil stores and
 * for random values, times, codes, units and ids.
 */
class ObservationJsonTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final MeasurementCatalog CATALOG = MeasurementCatalog.standard();
  private static final ObservationMapper MAPPER = new ObservationMapper(CATALOG);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ObservationJson writer = new ObservationJson(CATALOG, MAPPER, FHIR);

  static Stream<Measurement> everyKind() {
    return Stream.concat(
        ObservationProfileTest.oneOfEachKind(), ObservationProfileTest.manualEntries());
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void writesWhatHapiWritesForEveryKindOfReading(Measurement m) {
    Observation parsed = FHIR.newJsonParser().parseResource(Observation.class, assertSameAsHapi(m));
    parsed.setId(parsed.getIdPart());

    assertThat(parsed.equalsDeep(MAPPER.toObservation(m))).isTrue();
  }

  @Test
  void everyLevelOfConsciousnessAndAnOutOfScaleValueAreWrittenAsHapiDoes() {
    Instant t = Instant.parse("2026-11-24T10:05:00.120Z");
    for (double value : new double[] {0, 1, 2, 3, 4, 5, 2.5, -1}) {
      assertSameAsHapi(reading("67775-7", 0, value, Consciousness.UNIT, "manual:nurse-kim", t));
      assertSameAsHapi(reading("67775-7", 0, value, Consciousness.UNIT, "monitor-1", t));
    }
  }

  @Test
  void aCodeOutsideTheCatalogHasNoCategoryProfileOrDisplay() {
    Measurement m = reading("12345-6", 4711, 1.5e-7, "u/\"\\\u0001é°", "dev-1", Instant.now());

    String json = assertSameAsHapi(m);
    assertThat(json).doesNotContain("category").doesNotContain("profile").contains("\\u0001");
  }

  @Test
  void readingsOutsideTheProvenDomainAreEncodedByHapi() {
    Instant old = Instant.parse("1582-10-10T10:00:00Z");
    assertSameAsHapi(reading("8867-4", 0, 72, "/min", "dev-1", old));
    assertSameAsHapi(reading("8867-4", 0, 72, "/min", "dev/_history/2", Instant.now()));
    assertSameAsHapi(reading("8867-4", 0, 72, "/min", "manual:http://x/Practitioner/1", old));
    assertSameAsHapi(
        new Measurement(1, "p 1", "dev-1", "8867-4", 0, 72, "/min", Instant.now(), Instant.now()));
  }

  @Test
  void storedTimesAreInTheDefaultTimeZoneAsHapiPrintsThem() {
    TimeZone before = TimeZone.getDefault();
    try {
      for (String zone : List.of("Asia/Kolkata", "America/St_Johns", "Europe/Amsterdam")) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        for (String time : List.of("2026-07-01T10:00:00.5Z", "1920-01-01T00:00:00Z")) {
          assertSameAsHapi(reading("8867-4", 0, 72, "/min", "dev-1", Instant.parse(time)));
        }
      }
    } finally {
      TimeZone.setDefault(before);
    }
  }

  @Test
  void aGeneratorWritesOneObservationAfterAnotherWithNothingBetween() {
    Instant t = Instant.parse("2026-11-24T10:00:00Z");
    Measurement first = reading("8867-4", 147842, 72, "/min", "dev-1", t);
    Measurement second = reading("1-8", 0, 3, "{x}", "manual:kim", t.minusSeconds(1));
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = writer.generator(out)) {
      writer.write(first, generator);
      generator.writeRaw('\n');
      writer.write(second, generator);
      generator.writeRaw('\n');
    }

    assertThat(out.toString()).isEqualTo(hapi(first) + "\n" + hapi(second) + "\n");
  }

  @Property(tries = 3000)
  void writesWhatHapiWritesForRandomReadings(@ForAll("readings") Measurement m) {
    assertSameAsHapi(m);
  }

  @Provide
  Arbitrary<Measurement> readings() {
    List<String> codes = new ArrayList<>();
    for (String category :
        List.of(
            MeasurementType.VITAL_SIGNS, MeasurementType.LABORATORY, MeasurementCatalog.SURVEY)) {
      codes.addAll(CATALOG.codesIn(category).stream().sorted().toList());
    }
    Arbitrary<String> code =
        Arbitraries.oneOf(
            Arbitraries.of(codes),
            Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(9));
    Arbitrary<String> id =
        Arbitraries.strings().alpha().numeric().withChars('-', '.').ofMinLength(1).ofMaxLength(64);
    Arbitrary<String> source =
        Arbitraries.oneOf(id, id.map(name -> Measurement.MANUAL_ENTRY_PREFIX + name));
    Arbitrary<Double> value =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-5, 300).map(Integer::doubleValue),
            Arbitraries.doubles().between(-1e4, 1e4).ofScale(3),
            Arbitraries.doubles().between(-Double.MAX_VALUE, Double.MAX_VALUE),
            Arbitraries.of(0.0, -0.0, 1e-9, 1e15, 1e16, 123456789012345678.0, Double.MIN_VALUE));
    Arbitrary<String> unit =
        Arbitraries.oneOf(
            Arbitraries.of("/min", "%", "mm[Hg]", "Cel", "kg", "{ACVPU}", "mg/dL"),
            Arbitraries.strings().ofMinLength(1).ofMaxLength(8).filter(s -> !s.isBlank()));
    Arbitrary<Instant> time =
        Combinators.combine(
                Arbitraries.longs()
                    .between(
                        Instant.parse("1900-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("9999-01-01T00:00:00Z").getEpochSecond()),
                Arbitraries.oneOf(
                    Arbitraries.just(0),
                    Arbitraries.integers().between(0, 999).map(ms -> ms * 1_000_000),
                    Arbitraries.integers().between(0, 999_999_999)))
            .as(Instant::ofEpochSecond);
    Arbitrary<Integer> mdc =
        Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 2_000_000_000));
    return Combinators.combine(
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            id,
            source,
            code,
            mdc,
            value,
            unit,
            Combinators.combine(time, Arbitraries.longs().between(0, 86_400_000L))
                .as((taken, delay) -> new Instant[] {taken, taken.plusMillis(delay)}))
        .as((observationId, patient, device, loinc, mdcCode, number, ucum, times) ->
            new Measurement(
                observationId, patient, device, loinc, mdcCode, number, ucum, times[0], times[1]));
  }

  /** Asserts all three equalities; returns the streamed JSON. */
  private String assertSameAsHapi(Measurement m) {
    String expected = hapi(m);
    // Where HAPI's own encoding does not read back as the built Observation (a time zone, a
    // huge decimal), what the streamed JSON must read back as is what HAPI's JSON reads back as.
    Observation built = FHIR.newJsonParser().parseResource(Observation.class, expected);
    built.setId(built.getIdPart());
    String streamed = writer.toJson(m);

    assertThat(JSON.readTree(streamed)).isEqualTo(JSON.readTree(expected));
    Observation parsed = FHIR.newJsonParser().parseResource(Observation.class, streamed);
    // The parser qualifies the id with the resource type ("Observation/1"); the mapper does not.
    parsed.setId(parsed.getIdPart());
    assertThat(parsed.equalsDeep(built)).as("equalsDeep for %s", streamed).isTrue();
    assertThat(streamed).isEqualTo(expected);
    return streamed;
  }

  private static String hapi(Measurement m) {
    IParser parser = FHIR.newJsonParser().setPrettyPrint(false);
    return parser.encodeResourceToString(MAPPER.toObservation(m));
  }

  private static Measurement reading(
      String code, int mdc, double value, String unit, String device, Instant time) {
    return new Measurement(
        383_724_665_719_226_369L,
        "patient-001",
        device,
        code,
        mdc,
        value,
        unit,
        time,
        time.plusMillis(40));
  }
}
