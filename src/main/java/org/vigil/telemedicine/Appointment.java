package org.vigil.telemedicine;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A video visit booked between one patient and one clinician (FHIR Appointment, service type video
 * consultation).
 *
 * @param slotId the offered slot it was booked into, if it was
 * @param onDemand booked for now by the clinician ("call the patient now"), from an alarm if {@code
 *     alarmId} is there
 * @param bookedBy who booked it: the patient (booking) or the clinician (invitation)
 */
public record Appointment(
    String id,
    String patientId,
    String practitioner,
    Status status,
    Instant start,
    Instant end,
    Optional<String> slotId,
    boolean onDemand,
    Optional<Long> alarmId,
    String bookedBy,
    Instant createdAt,
    Instant updatedAt) {

  /** FHIR's appointment statuses that a video visit passes through. */
  public enum Status {
    BOOKED("booked"),
    /** the patient is in the visit (FHIR: arrived) */
    ARRIVED("arrived"),
    FULFILLED("fulfilled"),
    CANCELLED("cancelled");

    private final String code;

    Status(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static Optional<Status> ofCode(String code) {
      return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst();
    }
  }

  public Appointment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(practitioner, "practitioner");
    Objects.requireNonNull(status, "status");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("a visit ends after it starts");
    }
    Objects.requireNonNull(slotId, "slotId");
    Objects.requireNonNull(alarmId, "alarmId");
  }

  /** Whether the visit can still be joined: booked or going on, not ended or cancelled. */
  public boolean open() {
    return status == Status.BOOKED || status == Status.ARRIVED;
  }

  /** Whether the person is one of the two participants. */
  public boolean hasParticipant(VisitCaller caller) {
    return caller.isStaff()
        ? caller.username().equals(practitioner)
        : caller.patientId().map(patientId::equals).orElse(false);
  }
}
