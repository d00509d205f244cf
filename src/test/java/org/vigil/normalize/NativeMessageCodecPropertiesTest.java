package org.vigil.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes a device sends, the native codec answers with readings or with an
 * InvalidMessageException naming the problems — never anything else, and never a non-finite value.
 */
class NativeMessageCodecPropertiesTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:00Z");
  private final NativeMessageCodec codec = new NativeMessageCodec(1000);

  @Property(tries = 2000)
  void randomBytesAreReadingsOrAnInvalidMessage(@ForAll @Size(max = 400) byte[] payload) {
    assertReadingsOrInvalid(payload);
  }

  @Property(tries = 2000)
  void mangledMessagesAreReadingsOrAnInvalidMessage(@ForAll("mangledMessages") String payload) {
    assertReadingsOrInvalid(payload.getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<String> mangledMessages() {
    String valid =
        "{\"time\":\"2026-11-24T10:00:00Z\",\"measurements\":[{\"code\":\"8867-4\",\"value\":72,"
            + "\"unit\":\"/min\"},{\"system\":\"http://loinc.org\",\"code\":\"59408-5\","
            + "\"value\":97.5,\"unit\":\"%\",\"time\":\"2026-11-24T10:00:01+01:00\"}]}";
    Arbitrary<String> truncated =
        Arbitraries.integers().between(0, valid.length()).map(n -> valid.substring(0, n));
    Arbitrary<String> replaced =
        Arbitraries.integers()
            .between(0, valid.length() - 1)
            .flatMap(at ->
                Arbitraries.of(
                        "", "\"", "{", "}", "[", "]", ",", ":", "null", "true", "1e999", "-", "NaN",
                        "\u0000", "\"x\"", "[]", "{}")
                    .map(s -> valid.substring(0, at) + s + valid.substring(at + 1)));
    Arbitrary<String> fields =
        Arbitraries.of(
                "\"code\":8867",
                "\"value\":\"72\"",
                "\"value\":[72]",
                "\"unit\":null",
                "\"time\":12345",
                "\"time\":\"yesterday\"",
                "\"measurements\":{}",
                "\"value\":1.7976931348623157e309",
                "\"system\":\"\"")
            .map(f -> "{\"measurements\":[{" + f + "}]}");
    return Arbitraries.oneOf(truncated, replaced, fields);
  }

  private void assertReadingsOrInvalid(byte[] payload) {
    List<DeviceReading> readings;
    try {
      readings = codec.decode(payload, RECEIVED);
    } catch (InvalidMessageException e) {
      assertThat(e.problems()).isNotEmpty();
      return;
    }
    assertThat(readings).allSatisfy(r -> assertThat(Double.isFinite(r.value())).isTrue());
  }
}
