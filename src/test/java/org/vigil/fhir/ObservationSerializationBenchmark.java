package org.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;

/**
 * A stored reading published as FHIR Observation JSON, both ways Vigil can: HAPI's encoder over the
 * Observation ObservationMapper builds (searches and reads), and ObservationJson's streaming writer
 * of the same characters ($export and Observation pages). The reading is a monitor's heart rate
 * with its MDC code, so the Observation has the vital-signs profile, two codings and a device.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ObservationSerializationBenchmark {

  private static final Measurement HEART_RATE =
      new Measurement(
          383_724_665_719_226_369L,
          "patient-001",
          "monitor-001",
          MeasurementCatalog.HEART_RATE,
          147842,
          72,
          "/min",
          Instant.parse("2026-11-24T10:00:00.250Z"),
          Instant.parse("2026-11-24T10:00:00.500Z"));

  private final FhirContext fhir = FhirContext.forR4Cached();
  private final MeasurementCatalog catalog = MeasurementCatalog.standard();
  private final ObservationMapper mapper = new ObservationMapper(catalog);
  private final ObservationJson streaming = new ObservationJson(catalog, mapper, fhir);
  private IParser parser;

  @Setup
  public void checkBothWriteTheSame() {
    parser = fhir.newJsonParser().setPrettyPrint(false);
    // the comparison is only fair while both produce the same Observation
    if (!hapiParser().equals(observationJson())) {
      throw new IllegalStateException("HAPI and ObservationJson disagree on " + HEART_RATE);
    }
  }

  @Benchmark
  public String hapiParser() {
    return parser.encodeResourceToString(mapper.toObservation(HEART_RATE));
  }

  @Benchmark
  public String observationJson() {
    return streaming.toJson(HEART_RATE);
  }
}
