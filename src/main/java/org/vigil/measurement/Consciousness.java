package org.vigil.measurement;

import java.util.Arrays;
import java.util.Optional;

/**
 * The ACVPU scale of responsiveness NEWS2 scores (RCP 2017): alert, new confusion, responds to
 * voice, responds to pain, unresponsive. A reading of {@link
 * MeasurementCatalog#LEVEL_OF_CONSCIOUSNESS} carries the ordinal as its value; FHIR shows the
 * SNOMED CT finding of HL7 UK's CareConnect ACVPU value set.
 */
public enum Consciousness {
  ALERT("248234008", "Mentally alert"),
  NEW_CONFUSION("130987000", "Acute confusion"),
  VOICE("300202002", "Responds to voice"),
  PAIN("450847001", "Responds to pain"),
  UNRESPONSIVE("422768004", "Unresponsive");

  /** The UCUM annotation unit the ordinal is stored with. */
  public static final String UNIT = "{ACVPU}";

  /** SNOMED CT's ACVPU scale observable (UK edition), a second code of such Observations. */
  public static final String SNOMED_SCALE = "1104441000000107";

  private final String snomedCode;
  private final String display;

  Consciousness(String snomedCode, String display) {
    this.snomedCode = snomedCode;
    this.display = display;
  }

  public String snomedCode() {
    return snomedCode;
  }

  public String display() {
    return display;
  }

  /** The level a stored value stands for; empty for anything but 0 to 4 exactly. */
  public static Optional<Consciousness> ofValue(double value) {
    if (value != Math.rint(value) || value < 0 || value >= values().length) {
      return Optional.empty();
    }
    return Optional.of(values()[(int) value]);
  }

  public static Optional<Consciousness> ofSnomed(String code) {
    return Arrays.stream(values()).filter(c -> c.snomedCode.equals(code)).findFirst();
  }
}
