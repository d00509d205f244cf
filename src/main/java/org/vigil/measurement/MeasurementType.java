package org.vigil.measurement;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What Vigil knows about one LOINC-coded quantity: how to name it, its canonical UCUM unit, the
 * other units devices send it in and how to convert them, and which FHIR profile its Observations
 * follow.
 *
 * @param code LOINC code
 * @param display LOINC display name, as FHIR clients show it
 * @param unit canonical UCUM unit; what is stored and published
 * @param unitDisplay the unit as people read it (FHIR {@code valueQuantity.unit})
 * @param category FHIR observation category code ({@code vital-signs}, {@code laboratory})
 * @param profile the FHIR R4 profile the Observations claim, if any
 * @param additionalCodes further LOINC codes the profile requires beside {@code code} (the R4
 *     oxygen saturation profile requires 2708-6 even when a pulse oximeter's 59408-5 is the code)
 * @param acceptedUnits units accepted on input, each with its conversion to {@code unit}
 * @param decimals decimals kept after a conversion (a converted 98.6 [degF] is 37.0 Cel, not
 *     36.99999999)
 */
public record MeasurementType(
    String code,
    String display,
    String unit,
    String unitDisplay,
    String category,
    Optional<String> profile,
    List<String> additionalCodes,
    Map<String, UnitConversion> acceptedUnits,
    int decimals) {

  public static final String VITAL_SIGNS = "vital-signs";
  public static final String LABORATORY = "laboratory";

  public MeasurementType {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(display, "display");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(unitDisplay, "unitDisplay");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(profile, "profile");
    additionalCodes = List.copyOf(additionalCodes);
    acceptedUnits = Map.copyOf(acceptedUnits);
    if (!acceptedUnits.containsKey(unit)) {
      throw new IllegalArgumentException(code + ": the canonical unit must be accepted");
    }
  }

  /** The conversion from {@code inputUnit} to the canonical unit, if that unit is accepted. */
  public Optional<UnitConversion> conversionFrom(String inputUnit) {
    return Optional.ofNullable(acceptedUnits.get(inputUnit));
  }
}
