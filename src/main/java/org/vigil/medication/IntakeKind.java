package org.vigil.medication;

import java.util.Arrays;
import java.util.Optional;

/** What a piece of intake evidence says, with the event type a dispenser sends for it. */
public enum IntakeKind {
  /** The dispenser released the dose. Counted as taken: the dispenser cannot see a swallow. */
  DOSE_DISPENSED("dose-dispensed", true),
  /** The patient opened the compartment holding the dose. Counted as taken, as above. */
  COMPARTMENT_OPENED("compartment-opened", true),
  /** The dispenser says the dose was not taken (its own window passed). */
  DOSE_MISSED("dose-missed", false),
  /** The dispenser is running low; says nothing about a dose. */
  REFILL_NEEDED("refill-needed", false),
  /** The patient says they took it. */
  REPORTED_TAKEN("reported-taken", true),
  /** The patient says they skipped it. */
  REPORTED_SKIPPED("reported-skipped", false);

  private final String code;
  private final boolean taken;

  IntakeKind(String code, boolean taken) {
    this.code = code;
    this.taken = taken;
  }

  public String code() {
    return code;
  }

  /** Evidence that the dose was taken. */
  public boolean taken() {
    return taken;
  }

  /** Evidence that the dose was not taken. */
  public boolean notTaken() {
    return this == DOSE_MISSED || this == REPORTED_SKIPPED;
  }

  /** The kind of a dispenser event type, if it is one. */
  public static Optional<IntakeKind> ofDeviceEvent(String type) {
    return Arrays.stream(values())
        .filter(k -> k.code.equals(type))
        .filter(k -> k != REPORTED_TAKEN && k != REPORTED_SKIPPED)
        .findFirst();
  }

  public static Optional<IntakeKind> ofCode(String code) {
    return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
  }
}
