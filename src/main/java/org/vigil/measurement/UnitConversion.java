package org.vigil.measurement;

/**
 * A linear conversion from a unit a device may send to a catalog type's canonical UCUM unit: {@code
 * canonical = value * scale + offset} (the offset is for temperature scales).
 */
public record UnitConversion(double scale, double offset) {

  public static final UnitConversion IDENTITY = new UnitConversion(1, 0);

  public UnitConversion {
    if (!Double.isFinite(scale) || scale == 0 || !Double.isFinite(offset)) {
      throw new IllegalArgumentException(
          "conversion needs a finite non-zero scale and finite offset");
    }
  }

  public static UnitConversion scale(double scale) {
    return new UnitConversion(scale, 0);
  }

  public double apply(double value) {
    return value * scale + offset;
  }

  public boolean isIdentity() {
    return scale == 1 && offset == 0;
  }
}
