package org.vigil.measurement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The quantities Vigil accepts, keyed by LOINC code. Unit aliases that are not UCUM ({@code bpm},
 * {@code mmHg}, {@code degF}) are accepted because devices send them; what Vigil stores and
 * publishes is always the canonical UCUM unit.
 */
public final class MeasurementCatalog {

  public static final String HEART_RATE = "8867-4";
  public static final String OXYGEN_SATURATION = "59408-5";
  public static final String OXYGEN_SATURATION_ARTERIAL = "2708-6";
  public static final String RESPIRATORY_RATE = "9279-1";
  public static final String SYSTOLIC_BP = "8480-6";
  public static final String DIASTOLIC_BP = "8462-4";
  public static final String MEAN_BP = "8478-0";
  public static final String BODY_TEMPERATURE = "8310-5";
  public static final String BODY_WEIGHT = "29463-7";
  public static final String BODY_HEIGHT = "8302-2";
  public static final String BODY_MASS_INDEX = "39156-5";
  public static final String GLUCOSE_BLOOD = "2339-0";
  public static final String GLUCOSE_CAPILLARY = "41653-7";

  /**
   * Level of consciousness on the ACVPU scale, as a nurse records it for NEWS2. Stored as the
   * ordinal of {@link Consciousness} (0 alert … 4 unresponsive); published as a SNOMED CT coded
   * value.
   */
  public static final String LEVEL_OF_CONSCIOUSNESS = "67775-7";

  /** Supplemental oxygen flow; 0 L/min means the patient breathes room air (NEWS2's "air"). */
  public static final String INHALED_OXYGEN_FLOW = "3151-8";

  /** Inspired oxygen fraction; above 21 % means supplemental oxygen. */
  public static final String INHALED_OXYGEN_CONCENTRATION = "3150-0";

  /** FHIR observation category of assessments such as ACVPU (not a vital-signs quantity). */
  public static final String SURVEY = "survey";

  private static final String PROFILE_BASE = "http://hl7.org/fhir/StructureDefinition/";
  private static final double MMHG_PER_KPA = 7.500_615_75;
  private static final double KG_PER_POUND = 0.453_592_37;

  /** Glucose molar mass 180.16 g/mol: 1 mmol/L = 18.016 mg/dL. */
  private static final double GLUCOSE_MG_DL_PER_MMOL_L = 18.016;

  private final Map<String, MeasurementType> types;

  private MeasurementCatalog(List<MeasurementType> types) {
    Map<String, MeasurementType> byCode = new LinkedHashMap<>();
    for (MeasurementType type : types) {
      if (byCode.put(type.code(), type) != null) {
        throw new IllegalArgumentException("duplicate catalog code " + type.code());
      }
    }
    this.types = Map.copyOf(byCode);
  }

  /** The vital signs and home-monitoring quantities Vigil ships with. */
  public static MeasurementCatalog standard() {
    Map<String, UnitConversion> perMinute =
        Map.of(
            "/min", UnitConversion.IDENTITY,
            "{beats}/min", UnitConversion.IDENTITY,
            "bpm", UnitConversion.IDENTITY);
    Map<String, UnitConversion> breathsPerMinute =
        Map.of(
            "/min", UnitConversion.IDENTITY,
            "{breaths}/min", UnitConversion.IDENTITY,
            "brpm", UnitConversion.IDENTITY);
    Map<String, UnitConversion> percent = Map.of("%", UnitConversion.IDENTITY);
    Map<String, UnitConversion> pressure =
        Map.of(
            "mm[Hg]", UnitConversion.IDENTITY,
            "mmHg", UnitConversion.IDENTITY,
            "kPa", UnitConversion.scale(MMHG_PER_KPA));
    Map<String, UnitConversion> temperature =
        Map.of(
            "Cel",
            UnitConversion.IDENTITY,
            "degC",
            UnitConversion.IDENTITY,
            "[degF]",
            new UnitConversion(5.0 / 9.0, -32 * 5.0 / 9.0),
            "degF",
            new UnitConversion(5.0 / 9.0, -32 * 5.0 / 9.0));
    Map<String, UnitConversion> mass =
        Map.of(
            "kg", UnitConversion.IDENTITY,
            "g", UnitConversion.scale(0.001),
            "[lb_av]", UnitConversion.scale(KG_PER_POUND),
            "lb", UnitConversion.scale(KG_PER_POUND));
    Map<String, UnitConversion> length =
        Map.of(
            "cm", UnitConversion.IDENTITY,
            "m", UnitConversion.scale(100),
            "[in_i]", UnitConversion.scale(2.54));
    Map<String, UnitConversion> glucose =
        Map.of(
            "mg/dL",
            UnitConversion.IDENTITY,
            "mmol/L",
            UnitConversion.scale(GLUCOSE_MG_DL_PER_MMOL_L));

    return new MeasurementCatalog(
        List.of(
            vital(HEART_RATE, "Heart rate", "/min", "beats/minute", "heartrate", perMinute, 0),
            vital(
                OXYGEN_SATURATION,
                "Oxygen saturation in Arterial blood by Pulse oximetry",
                "%",
                "%",
                "oxygensat",
                percent,
                1,
                OXYGEN_SATURATION_ARTERIAL),
            vital(
                OXYGEN_SATURATION_ARTERIAL,
                "Oxygen saturation in Arterial blood",
                "%",
                "%",
                "oxygensat",
                percent,
                1),
            vital(
                RESPIRATORY_RATE,
                "Respiratory rate",
                "/min",
                "breaths/minute",
                "resprate",
                breathsPerMinute,
                0),
            vital(SYSTOLIC_BP, "Systolic blood pressure", "mm[Hg]", "mmHg", null, pressure, 0),
            vital(DIASTOLIC_BP, "Diastolic blood pressure", "mm[Hg]", "mmHg", null, pressure, 0),
            vital(MEAN_BP, "Mean blood pressure", "mm[Hg]", "mmHg", null, pressure, 0),
            vital(BODY_TEMPERATURE, "Body temperature", "Cel", "°C", "bodytemp", temperature, 1),
            vital(BODY_WEIGHT, "Body weight", "kg", "kg", "bodyweight", mass, 2),
            vital(BODY_HEIGHT, "Body height", "cm", "cm", "bodyheight", length, 1),
            vital(
                BODY_MASS_INDEX,
                "Body mass index (BMI) [Ratio]",
                "kg/m2",
                "kg/m2",
                "bmi",
                Map.of("kg/m2", UnitConversion.IDENTITY),
                1),
            laboratory(
                GLUCOSE_BLOOD, "Glucose [Mass/volume] in Blood", "mg/dL", "mg/dL", glucose, 0),
            laboratory(
                GLUCOSE_CAPILLARY,
                "Glucose [Mass/volume] in Capillary blood by Glucometer",
                "mg/dL",
                "mg/dL",
                glucose,
                0),
            new MeasurementType(
                LEVEL_OF_CONSCIOUSNESS,
                "Level of responsiveness",
                Consciousness.UNIT,
                "ACVPU",
                SURVEY,
                Optional.empty(),
                List.of(),
                Map.of(Consciousness.UNIT, UnitConversion.IDENTITY),
                0),
            new MeasurementType(
                INHALED_OXYGEN_FLOW,
                "Inhaled oxygen flow rate",
                "L/min",
                "L/min",
                MeasurementType.VITAL_SIGNS,
                Optional.empty(),
                List.of(),
                Map.of("L/min", UnitConversion.IDENTITY),
                1),
            new MeasurementType(
                INHALED_OXYGEN_CONCENTRATION,
                "Inhaled oxygen concentration",
                "%",
                "%",
                MeasurementType.VITAL_SIGNS,
                Optional.empty(),
                List.of(),
                Map.of("%", UnitConversion.IDENTITY),
                0)));
  }

  private static MeasurementType vital(
      String code,
      String display,
      String unit,
      String unitDisplay,
      String profile,
      Map<String, UnitConversion> units,
      int decimals,
      String... additionalCodes) {
    return new MeasurementType(
        code,
        display,
        unit,
        unitDisplay,
        MeasurementType.VITAL_SIGNS,
        Optional.of(PROFILE_BASE + (profile == null ? "vitalsigns" : profile)),
        List.of(additionalCodes),
        units,
        decimals);
  }

  private static MeasurementType laboratory(
      String code,
      String display,
      String unit,
      String unitDisplay,
      Map<String, UnitConversion> units,
      int decimals) {
    return new MeasurementType(
        code,
        display,
        unit,
        unitDisplay,
        MeasurementType.LABORATORY,
        Optional.empty(),
        List.of(),
        units,
        decimals);
  }

  public Optional<MeasurementType> find(String loincCode) {
    return Optional.ofNullable(types.get(loincCode));
  }

  /** The LOINC codes of a category, e.g. {@code vital-signs}. */
  public Set<String> codesIn(String category) {
    return types.values().stream()
        .filter(t -> t.category().equals(category))
        .map(MeasurementType::code)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The accepted LOINC codes, sorted, for error messages that tell a device what would work. */
  public String describeCodes() {
    return types.keySet().stream().sorted().collect(Collectors.joining(", "));
  }
}
