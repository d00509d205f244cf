package org.vigil.medication;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One piece of evidence about a medicine being taken or not: a dispenser's event or the patient's
 * own report. Devices' evidence is shown as FHIR MedicationAdministration, patients' as
 * MedicationStatement.
 *
 * @param id Vigil's id of the evidence
 * @param patientId whose
 * @param requestId the schedule (MedicationRequest) it is about; empty when it names none (a refill
 *     notice for the whole device)
 * @param kind what happened
 * @param at when it happened (the device's or the patient's time)
 * @param recordedAt when Vigil stored it
 * @param source {@code Device/<id>} or {@code Patient/<id>}
 */
public record Intake(
    long id,
    String patientId,
    Optional<String> requestId,
    IntakeKind kind,
    Instant at,
    Instant recordedAt,
    String source) {

  public Intake {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(source, "source");
  }

  public boolean fromDevice() {
    return source.startsWith("Device/");
  }
}
