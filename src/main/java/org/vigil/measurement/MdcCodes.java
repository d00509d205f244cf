package org.vigil.measurement;

import java.util.Map;
import java.util.Optional;

/**
 * ISO/IEEE 11073-10101 (MDC) nomenclature, as bedside monitors and personal health devices send it
 * in IHE PCD-01 and Continua messages, mapped to LOINC and UCUM: the one table through which MDC
 * codes become Vigil readings. The MDC code itself is kept on each reading beside the LOINC code.
 *
 * <p>Codes come from the IHE PCD Rosetta terminology mapping and the Continua/IHE sample messages
 * in shared/data/hl7v2; a unit sent as UCUM (OBX-6 coding system "UCUM") needs no table. Where a
 * code could not be confirmed it is left out: an unmapped code is reported back to the sender, a
 * wrong mapping would silently mislabel a vital sign. Only quantities in {@link MeasurementCatalog}
 * are mapped; invasive and pulmonary-artery pressures, for instance, are different measurements
 * from cuff pressures and are not folded into their codes.
 */
public final class MdcCodes {

  /** MDC observation identifier (OBX-3) → LOINC. */
  private static final Map<Integer, String> OBSERVATIONS =
      Map.ofEntries(
          Map.entry(150456, MeasurementCatalog.OXYGEN_SATURATION), // MDC_PULS_OXIM_SAT_O2
          Map.entry(147842, MeasurementCatalog.HEART_RATE), // MDC_ECG_HEART_RATE
          Map.entry(149530, MeasurementCatalog.HEART_RATE), // MDC_PULS_OXIM_PULS_RATE
          Map.entry(149546, MeasurementCatalog.HEART_RATE), // MDC_PULS_RATE_NON_INV
          Map.entry(149522, MeasurementCatalog.HEART_RATE), // MDC_BLD_PULS_RATE_INV
          Map.entry(150021, MeasurementCatalog.SYSTOLIC_BP), // MDC_PRESS_BLD_NONINV_SYS
          Map.entry(150022, MeasurementCatalog.DIASTOLIC_BP), // MDC_PRESS_BLD_NONINV_DIA
          Map.entry(150023, MeasurementCatalog.MEAN_BP), // MDC_PRESS_BLD_NONINV_MEAN
          Map.entry(150344, MeasurementCatalog.BODY_TEMPERATURE), // MDC_TEMP
          Map.entry(150364, MeasurementCatalog.BODY_TEMPERATURE), // MDC_TEMP_BODY
          Map.entry(188424, MeasurementCatalog.BODY_TEMPERATURE), // MDC_TEMP_ORAL
          Map.entry(151562, MeasurementCatalog.RESPIRATORY_RATE), // MDC_RESP_RATE
          Map.entry(188736, MeasurementCatalog.BODY_WEIGHT), // MDC_MASS_BODY_ACTUAL
          Map.entry(188740, MeasurementCatalog.BODY_HEIGHT), // MDC_LEN_BODY_ACTUAL
          Map.entry(188752, MeasurementCatalog.BODY_MASS_INDEX), // MDC_RATIO_MASS_BODY_LEN_SQ
          Map.entry(
              160184, MeasurementCatalog.GLUCOSE_CAPILLARY), // MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD
          Map.entry(160188, MeasurementCatalog.GLUCOSE_CAPILLARY), // MDC_CONC_GLU_CAPILLARY_PLASMA
          Map.entry(160192, MeasurementCatalog.GLUCOSE_BLOOD), // MDC_CONC_GLU_VENOUS_WHOLEBLOOD
          Map.entry(160196, MeasurementCatalog.GLUCOSE_BLOOD)); // MDC_CONC_GLU_VENOUS_PLASMA

  /** MDC unit code (OBX-6) → UCUM. */
  private static final Map<Integer, String> UNITS =
      Map.ofEntries(
          Map.entry(264864, "/min"), // MDC_DIM_BEAT_PER_MIN
          Map.entry(264928, "/min"), // MDC_DIM_RESP_PER_MIN
          Map.entry(262688, "%"), // MDC_DIM_PERCENT
          Map.entry(266016, "mm[Hg]"), // MDC_DIM_MMHG
          Map.entry(268192, "Cel"), // MDC_DIM_DEGC
          Map.entry(266560, "[degF]"), // MDC_DIM_FAHR
          Map.entry(263875, "kg"), // MDC_DIM_KILO_G
          Map.entry(263872, "g"), // MDC_DIM_G
          Map.entry(263904, "[lb_av]"), // MDC_DIM_LB
          Map.entry(263441, "cm"), // MDC_DIM_CENTI_M
          Map.entry(263520, "[in_i]"), // MDC_DIM_INCH
          Map.entry(264096, "kg/m2"), // MDC_DIM_KG_PER_M_SQ
          Map.entry(264274, "mg/dL")); // MDC_DIM_MILLI_G_PER_DL

  private MdcCodes() {}

  public static Optional<String> loinc(int mdcObservation) {
    return Optional.ofNullable(OBSERVATIONS.get(mdcObservation));
  }

  public static Optional<String> ucum(int mdcUnit) {
    return Optional.ofNullable(UNITS.get(mdcUnit));
  }
}
