package org.vigil.normalize.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.NativeMessageCodec;

/** Whatever a device sends, a template answers with readings or an InvalidMessageException. */
class TemplateEnginePropertiesTest {

  private static final Instant NOW = Instant.parse("2026-11-24T19:55:00Z");
  private final TemplateRegistry registry = registry();

  private static TemplateRegistry registry() {
    TemplateRegistry registry =
        new TemplateRegistry(
            new TemplateEngine(MeasurementCatalog.standard()),
            Optional.empty(),
            new NativeMessageCodec(1000));
    registry.reload();
    return registry;
  }

  @Property(tries = 1500)
  void randomBytesAreReadingsOrAnInvalidMessage(
      @ForAll("types") String type, @ForAll @Size(max = 300) byte[] payload) {
    assertReadingsOrInvalid(type, payload);
  }

  @Property(tries = 1500)
  void mangledVendorPayloadsAreReadingsOrAnInvalidMessage(@ForAll("mangled") String[] input) {
    assertReadingsOrInvalid(input[0], input[1].getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<String> types() {
    return Arbitraries.of("pulsewave-wristband", "cardiocuff-bp", "trueweigh-scale");
  }

  @Provide
  Arbitrary<String[]> mangled() {
    String[][] samples = {
      {"pulsewave-wristband", load("pulsewave-batch.json")},
      {"cardiocuff-bp", load("cardiocuff-kpa.json")},
      {"trueweigh-scale", load("trueweigh-lb.json")}
    };
    return Arbitraries.of(samples)
        .flatMap(sample ->
            Arbitraries.integers()
                .between(0, sample[1].length() - 1)
                .flatMap(at ->
                    Arbitraries.of(
                            "", "\"", "]", "}", "null", "\"x\"", "-", "1e999", "[]", "{}", "true")
                        .map(replacement ->
                            new String[] {
                              sample[0],
                              sample[1].substring(0, at) + replacement + sample[1].substring(at + 1)
                            })));
  }

  private void assertReadingsOrInvalid(String type, byte[] payload) {
    try {
      var result = registry.read(type, Optional.empty(), payload, NOW);
      assertThat(result.readings())
          .allSatisfy(r -> assertThat(Double.isFinite(r.value())).isTrue());
    } catch (InvalidMessageException e) {
      assertThat(e.problems()).isNotEmpty();
    }
  }

  private static String load(String name) {
    try (InputStream in =
        TemplateEnginePropertiesTest.class.getResourceAsStream("/templates/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
