package org.vigil.normalize.gatt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;

/**
 * Random bytes, wrong lengths and truncations of real vectors, for every characteristic: the
 * decoder gives readings with finite values or an InvalidMessageException, never anything else.
 */
class GattCodecPropertiesTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:00Z");
  private static final List<String> VECTORS =
      List.of(
          "2A37:1F0101320101000201FFFF",
          "2A35:1E8A0058007800000004111429 3B3C00012700",
          "2A1C:06B00E00FEDC070C050B321B04",
          "2A5E:0FACF3BEF5E8070B1D17083920402200 0066E3",
          "2A5F:1FDEF3CAF3CAF35AF5D4F3B2F22001000000 7AE3",
          "2A18:1B0100E307021B0B0A1EFBFF1E00120501",
          "2A9D:081437E600D706");
  private final GattCodec codec = new GattCodec(ZoneOffset.UTC);

  @Property(tries = 3000)
  void randomValuesAreReadingsOrAnInvalidMessage(
      @ForAll("characteristics") String uuid, @ForAll @Size(max = 40) byte[] value) {
    assertReadingsOrInvalid(uuid, value);
  }

  @Property(tries = 3000)
  void truncatedAndFlippedVectorsAreReadingsOrAnInvalidMessage(@ForAll("mangled") Object[] input) {
    assertReadingsOrInvalid((String) input[0], (byte[]) input[1]);
  }

  @Provide
  Arbitrary<String> characteristics() {
    return Arbitraries.of(GattCodec.SUPPORTED);
  }

  @Provide
  Arbitrary<Object[]> mangled() {
    return Arbitraries.of(VECTORS)
        .flatMap(vector -> {
          String uuid = vector.substring(0, 4);
          byte[] bytes = HexFormat.of().parseHex(vector.substring(5).replace(" ", ""));
          Arbitrary<byte[]> truncated =
              Arbitraries.integers().between(0, bytes.length).map(n -> Arrays.copyOf(bytes, n));
          Arbitrary<byte[]> flipped =
              Combinators.combine(
                      Arbitraries.integers().between(0, bytes.length - 1),
                      Arbitraries.integers().between(0, 255))
                  .as((at, b) -> {
                    byte[] copy = bytes.clone();
                    copy[at] = (byte) (int) b;
                    return copy;
                  });
          return Arbitraries.oneOf(truncated, flipped).map(b -> new Object[] {uuid, b});
        });
  }

  private void assertReadingsOrInvalid(String uuid, byte[] value) {
    List<DeviceReading> readings;
    try {
      readings = codec.decode(uuid, value, RECEIVED);
    } catch (InvalidMessageException e) {
      assertThat(e.problems()).isNotEmpty();
      return;
    }
    assertThat(readings).allSatisfy(r -> assertThat(Double.isFinite(r.value())).isTrue());
  }
}
