package org.vigil.normalize.gatt;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * IEEE 11073-20601 "medical" floating-point numbers as the Bluetooth SIG health profiles carry
 * them: a signed mantissa times ten to a signed exponent, no bias. SFLOAT is 16 bits (4-bit
 * exponent, 12-bit mantissa), FLOAT 32 bits (8-bit exponent, 24-bit mantissa). The special values —
 * NaN, NRes (not at this resolution), ±INFINITY and the reserved value — are not numbers a
 * clinician can use, so they decode to "no value".
 */
final class MedicalFloat {

  private MedicalFloat() {}

  static Optional<Double> sfloat(int raw) {
    int mantissa = raw & 0x0FFF;
    int exponent = raw >> 12 & 0x0F;
    if (exponent == 0 && mantissa >= 0x07FE && mantissa <= 0x0802) {
      return Optional.empty(); // +INF, NaN, NRes, reserved, -INF
    }
    if (mantissa >= 0x0800) {
      mantissa -= 0x1000;
    }
    if (exponent >= 0x08) {
      exponent -= 0x10;
    }
    return Optional.of(scaled(mantissa, exponent));
  }

  static Optional<Double> float32(int raw) {
    int mantissa = raw & 0x00FF_FFFF;
    int exponent = raw >> 24; // arithmetic shift keeps the exponent's sign
    if (exponent == 0 && mantissa >= 0x007F_FFFE && mantissa <= 0x0080_0002) {
      return Optional.empty(); // +INF, NaN, NRes, reserved, -INF
    }
    if (mantissa >= 0x0080_0000) {
      mantissa -= 0x0100_0000;
    }
    return Optional.of(scaled(mantissa, exponent));
  }

  /** Exact decimal scaling, so that 3760 × 10⁻² is 37.6 and not 37.599999999999994. */
  private static double scaled(int mantissa, int exponent) {
    return BigDecimal.valueOf(mantissa).scaleByPowerOfTen(exponent).doubleValue();
  }
}
