package org.vigil.normalize.hl7;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vigil.measurement.MdcCodes;
import org.vigil.normalize.DeviceReading;

/**
 * The readings a PCD-01 message carries, each with the equipment that measured it, and what was
 * wrong: errors (the content is wrong — the message is answered AE and nothing is stored) and
 * warnings (observations Vigil does not store, such as quantities outside its catalog — the message
 * is accepted and the sender told which were skipped).
 *
 * <p>Rows without a value type are the device's structure (MDS, VMD, channel, compound); rows of
 * other types (CWE, DTM, ST, waveforms) are context Vigil does not read; neither is a problem.
 */
public record Pcd01Readings(
    List<EquipmentReading> readings, List<Hl7Problem> errors, List<Hl7Problem> warnings) {

  /** A reading and the device (OBX-18 equipment identifier, or the sender) it came from. */
  public record EquipmentReading(String equipment, DeviceReading reading) {}

  static final String LOINC = "http://loinc.org";

  public static Pcd01Readings of(Pcd01Message message, Instant receivedAt) {
    List<EquipmentReading> readings = new ArrayList<>();
    List<Hl7Problem> errors = new ArrayList<>();
    List<Hl7Problem> warnings = new ArrayList<>();
    for (Pcd01Message.Observation obx : message.observations()) {
      Optional<Mapping> mapping = mapping(obx);
      if (!obx.valueType().equals("NM")) {
        if (mapping.isPresent() && !obx.valueType().isEmpty() && !obx.value().isEmpty()) {
          errors.add(
              Hl7Problem.error(
                  "OBX",
                  obx.sequence(),
                  2,
                  Hl7Problem.DATA_TYPE_ERROR,
                  obx.code()
                      + " "
                      + obx.codeName()
                      + " is a measurement and must be NM, not "
                      + obx.valueType()));
        }
        continue;
      }
      if (mapping.isEmpty()) {
        warnings.add(
            Hl7Problem.warning(
                "OBX",
                obx.sequence(),
                3,
                Hl7Problem.TABLE_VALUE_NOT_FOUND,
                (obx.codeSystem().isEmpty() ? "" : obx.codeSystem() + " ")
                    + obx.code()
                    + " "
                    + obx.codeName()
                    + " is not a quantity Vigil stores; not stored"));
        continue;
      }
      double value;
      try {
        value = Double.parseDouble(obx.value());
      } catch (NumberFormatException e) {
        errors.add(
            Hl7Problem.error(
                "OBX",
                obx.sequence(),
                5,
                obx.value().isEmpty()
                    ? Hl7Problem.REQUIRED_FIELD_MISSING
                    : Hl7Problem.DATA_TYPE_ERROR,
                obx.value().isEmpty()
                    ? "the value is missing"
                    : "'" + obx.value() + "' is not a number"));
        continue;
      }
      if (!Double.isFinite(value)) {
        errors.add(
            Hl7Problem.error(
                "OBX", obx.sequence(), 5, Hl7Problem.DATA_TYPE_ERROR, "the value is not finite"));
        continue;
      }
      Optional<String> unit = unit(obx);
      if (unit.isEmpty()) {
        errors.add(
            Hl7Problem.error(
                "OBX",
                obx.sequence(),
                6,
                obx.unitCode().isEmpty()
                    ? Hl7Problem.REQUIRED_FIELD_MISSING
                    : Hl7Problem.TABLE_VALUE_NOT_FOUND,
                obx.unitCode().isEmpty()
                    ? "the unit is missing"
                    : "unit "
                        + obx.unitSystem()
                        + " "
                        + obx.unitCode()
                        + " is not one Vigil knows; send UCUM"));
        continue;
      }
      Optional<String> equipment =
          obx.equipment()
              .or(() -> Optional.of(message.sendingApplication()).filter(s -> !s.isEmpty()));
      if (equipment.isEmpty()) {
        errors.add(
            Hl7Problem.error(
                "OBX",
                obx.sequence(),
                18,
                Hl7Problem.REQUIRED_FIELD_MISSING,
                "no equipment identifier (OBX-18 or MSH-3) says which device measured this"));
        continue;
      }
      readings.add(
          new EquipmentReading(
              equipment.get(),
              new DeviceReading(
                  "OBX[" + obx.sequence() + "]",
                  LOINC,
                  mapping.get().loinc(),
                  value,
                  unit.get(),
                  obx.time().orElse(receivedAt),
                  mapping.get().mdc())));
    }
    return new Pcd01Readings(List.copyOf(readings), List.copyOf(errors), List.copyOf(warnings));
  }

  private record Mapping(String loinc, int mdc) {}

  /** MDC codes through the table; a LOINC-coded OBX-3 as it is. */
  private static Optional<Mapping> mapping(Pcd01Message.Observation obx) {
    String system = obx.codeSystem().toUpperCase(java.util.Locale.ROOT);
    if (system.equals("LN") || system.equals("LOINC")) {
      return Optional.of(new Mapping(obx.code(), 0));
    }
    try {
      int mdc = Integer.parseInt(obx.code());
      return MdcCodes.loinc(mdc).map(loinc -> new Mapping(loinc, mdc));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> unit(Pcd01Message.Observation obx) {
    if (obx.unitCode().isEmpty()) {
      return Optional.empty();
    }
    if (obx.unitSystem().equalsIgnoreCase("UCUM")) {
      return Optional.of(obx.unitCode());
    }
    try {
      return MdcCodes.ucum(Integer.parseInt(obx.unitCode()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
