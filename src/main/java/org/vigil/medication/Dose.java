package org.vigil.medication;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One scheduled dose and what became of it.
 *
 * @param requestId the schedule
 * @param dueAt when it was due
 * @param outcome what became of it
 * @param evidence the intake that decided it, if one did (the taking, or the report of a miss)
 */
public record Dose(
    String requestId, Instant dueAt, DoseOutcome outcome, Optional<Intake> evidence) {

  public Dose {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(dueAt, "dueAt");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(evidence, "evidence");
  }
}
