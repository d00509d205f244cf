package org.vigil.normalize.hl7;

import ca.uhn.hl7v2.model.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * An IHE PCD-01 message from the IPF samples (shared/data/hl7v2, copied to test resources) read
 * into readings as the MLLP server does; {@code parse} is HAPI's share of that, to tell its parser
 * apart from Vigil's walk of the containment tree.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Pcd01DecodingBenchmark {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:00Z");

  @Param({
    "ipf-pcd01_valid-pcd01-request.hl7v2",
    "ipf-pcd01_valid-pcd01-MaximumRequest2.hl7",
    "ipf-continua-wan_valid-bp-continua-wan.hl7v2"
  })
  public String sample;

  private final Pcd01Decoder decoder = new Pcd01Decoder(ZoneOffset.UTC);
  private String er7;

  @Setup
  public void loadSample() {
    try (InputStream in = getClass().getResourceAsStream("/hl7v2/" + sample)) {
      er7 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Pcd01Readings readings = read();
    // measure readings being taken, not a message being answered AE
    if (readings.readings().isEmpty() || !readings.errors().isEmpty()) {
      throw new IllegalStateException(sample + " gives no readings: " + readings.errors());
    }
  }

  @Benchmark
  public Pcd01Readings read() {
    return Pcd01Readings.of(decoder.decode(er7), RECEIVED);
  }

  @Benchmark
  public Message parse() {
    return decoder.parse(er7);
  }
}
