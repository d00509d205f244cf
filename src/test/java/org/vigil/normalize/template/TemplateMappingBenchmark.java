package org.vigil.normalize.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.normalize.NativeMessageCodec;

/**
 * A vendor payload read with the shipped template its device type selects, as ingest does: the
 * registry reads the JSON, tries the type's match expressions, evaluates the JSONPaths and the SpEL
 * calculations. Payloads are the ones ShippedTemplatesTest uses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TemplateMappingBenchmark {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T19:55:00Z");

  /** Device type and payload: a single webhook reading, and a batch of three samples. */
  @Param({"cardiocuff-bp:cardiocuff-mmhg.json", "pulsewave-wristband:pulsewave-batch.json"})
  public String input;

  private TemplateRegistry registry;
  private String deviceType;
  private byte[] payload;

  @Setup
  public void loadTemplates() {
    registry =
        new TemplateRegistry(
            new TemplateEngine(MeasurementCatalog.standard()),
            Optional.empty(),
            new NativeMessageCodec(1000));
    if (!registry.reload().errors().isEmpty()) {
      throw new IllegalStateException("the shipped templates do not load");
    }
    deviceType = input.substring(0, input.indexOf(':'));
    String name = input.substring(input.indexOf(':') + 1);
    try (InputStream in = getClass().getResourceAsStream("/templates/" + name)) {
      payload = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (map().readings().isEmpty()) {
      throw new IllegalStateException(input + " gives no readings");
    }
  }

  @Benchmark
  public TemplateResult map() {
    return registry.read(deviceType, Optional.empty(), payload, RECEIVED);
  }
}
