package org.vigil.medication;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One medicine a clinician has prescribed for a patient at home, and when it is to be taken: the
 * domain behind a FHIR MedicationRequest with {@code dosageInstruction.timing.repeat.timeOfDay} and
 * {@code dayOfWeek}, or {@code asNeededBoolean}.
 *
 * @param id the MedicationRequest id
 * @param patientId whose medicine
 * @param medication the medicine as a person reads it ("Metformin 500 mg tablet")
 * @param code an optional coded medicine (RxNorm, SNOMED CT, ATC…)
 * @param status as MedicationRequest.status: only {@code active} schedules have doses
 * @param timesOfDay the times of day a dose is due, in the patient's time zone; empty when as
 *     needed
 * @param daysOfWeek the days a dose is due; empty means every day
 * @param asNeeded taken when needed (PRN): never due, so never missed
 * @param compartment the dispenser compartment (slot) that holds it, if a dispenser does
 * @param doseText the dose as written ("1 tablet")
 * @param start the first moment a dose can be due
 * @param end when the schedule stops, if it does
 * @param requester who prescribed it ({@code Practitioner/<username>} or a system's client id)
 * @param version increases with every change
 */
public record DoseSchedule(
    String id,
    String patientId,
    String medication,
    Optional<Code> code,
    String status,
    List<LocalTime> timesOfDay,
    Set<DayOfWeek> daysOfWeek,
    boolean asNeeded,
    Optional<Integer> compartment,
    Optional<String> doseText,
    Instant start,
    Optional<Instant> end,
    String requester,
    int version) {

  /** MedicationRequest.status values (R4 medicationrequest-status). */
  public static final Set<String> STATUSES =
      Set.of(
          "active",
          "on-hold",
          "cancelled",
          "completed",
          "entered-in-error",
          "stopped",
          "draft",
          "unknown");

  /** A coded medicine. */
  public record Code(String system, String code, Optional<String> display) {
    public Code {
      Objects.requireNonNull(system, "system");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(display, "display");
    }
  }

  public DoseSchedule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(medication, "medication");
    Objects.requireNonNull(code, "code");
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("not a MedicationRequest status: " + status);
    }
    timesOfDay = timesOfDay.stream().sorted().distinct().toList();
    daysOfWeek = Set.copyOf(daysOfWeek);
    if (asNeeded && !timesOfDay.isEmpty()) {
      throw new IllegalArgumentException("a medicine taken as needed has no times of day");
    }
    if (!asNeeded && timesOfDay.isEmpty()) {
      throw new IllegalArgumentException("a scheduled medicine has at least one time of day");
    }
    Objects.requireNonNull(compartment, "compartment");
    Objects.requireNonNull(doseText, "doseText");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(requester, "requester");
  }

  public boolean active() {
    return status.equals("active");
  }

  /** Whether a dose is due on this day of the week. */
  public boolean dueOn(DayOfWeek day) {
    return daysOfWeek.isEmpty() || daysOfWeek.contains(day);
  }
}
