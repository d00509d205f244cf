package org.vigil.normalize.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.model.Message;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random text, truncations and shuffled segments of the real samples: the decoder answers with a
 * message or a rejection, reading never throws, and an acknowledgement can always be built.
 */
class Pcd01PropertiesTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:00Z");
  private static final List<String> SAMPLES =
      List.of(
          "ipf-pcd01_valid-pcd01-request.hl7v2",
          "ipf-pcd01_valid-pcd01-request2.hl7v2",
          "ipf-pcd01_valid-pcd01-MaximumRequest2.hl7",
          "ipf-continua-wan_valid-glucose-continua-wan.hl7v2",
          "ipf-continua-wan_valid-scale-continua-wan.hl7v2");
  private final Pcd01Decoder decoder = new Pcd01Decoder(ZoneOffset.UTC);
  private final Pcd01Acknowledgements acks = new Pcd01Acknowledgements(decoder);

  @Property(tries = 500)
  void randomTextIsAMessageOrARejection(@ForAll("randomText") String text) {
    handle(text);
  }

  @Property(tries = 1000)
  void mangledSamplesAreAMessageOrARejection(@ForAll("mangled") String text) {
    handle(text);
  }

  @Provide
  Arbitrary<String> randomText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings()
            .withChars("MSH|^~\\&\rOBXPID0123456789.")
            .ofMaxLength(300)
            .map(s -> "MSH|^~\\&|" + s));
  }

  @Provide
  Arbitrary<String> mangled() {
    return Arbitraries.of(SAMPLES)
        .map(Pcd01DecoderTest::sample)
        .flatMap(sample ->
            Arbitraries.oneOf(
                Arbitraries.integers().between(0, sample.length()).map(n -> sample.substring(0, n)),
                Arbitraries.longs().map(seed -> shuffled(sample, seed)),
                Arbitraries.integers()
                    .between(0, sample.length() - 1)
                    .flatMap(at ->
                        Arbitraries.of(
                                "|", "^", "\r", "~", "\\", "&", "", "X", "99999999999999999999")
                            .map(r -> sample.substring(0, at) + r + sample.substring(at + 1)))));
  }

  /** The MSH stays first; every other segment is shuffled. */
  private static String shuffled(String sample, long seed) {
    List<String> segments = new ArrayList<>(List.of(sample.split("\r")));
    String msh = segments.removeFirst();
    Collections.shuffle(segments, new Random(seed));
    return msh + "\r" + String.join("\r", segments);
  }

  private void handle(String text) {
    Message message;
    try {
      message = decoder.parse(text);
    } catch (Pcd01Rejected e) {
      assertThat(acks.reject(text, e.problems())).startsWith("MSH|");
      return;
    }
    try {
      Pcd01Readings readings = Pcd01Readings.of(decoder.decode(message), RECEIVED);
      assertThat(readings.readings())
          .allSatisfy(r -> assertThat(Double.isFinite(r.reading().value())).isTrue());
      Message ack =
          readings.errors().isEmpty()
              ? acks.accepted(message, readings.warnings())
              : acks.contentError(message, readings.errors());
      assertThat(ack).isNotNull();
    } catch (Pcd01Rejected e) {
      assertThat(acks.rejected(message, e.problems())).isNotNull();
    }
  }
}
