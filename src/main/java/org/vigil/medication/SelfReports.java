package org.vigil.medication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** The patient's own word that they took or skipped a dose, as evidence beside the devices'. */
@Service
public class SelfReports {

  /** How far back a patient may report: a week, the longest the portal shows. */
  static final Duration MAX_AGE = Duration.ofDays(7);

  private final MedicationSchedules schedules;
  private final Intakes intakes;
  private final Clock clock = Clock.systemUTC();

  SelfReports(MedicationSchedules schedules, Intakes intakes) {
    this.schedules = schedules;
    this.intakes = intakes;
  }

  /** Why a report cannot be taken. */
  public static final class RefusedReport extends RuntimeException {
    private final boolean notFound;

    RefusedReport(String message, boolean notFound) {
      super(message);
      this.notFound = notFound;
    }

    public boolean notFound() {
      return notFound;
    }
  }

  /**
   * Records that the patient took ({@code taken}) or skipped the medicine at {@code at} (now when
   * empty).
   *
   * @throws RefusedReport when the medicine is not theirs, not active, or the time is not possible
   */
  public Intake report(String patientId, String requestId, boolean taken, Optional<Instant> at) {
    DoseSchedule schedule =
        schedules
            .find(requestId)
            .filter(s -> s.patientId().equals(patientId))
            .orElseThrow(
                () -> new RefusedReport("no medicine " + requestId + " of this patient", true));
    if (!schedule.active()) {
      throw new RefusedReport(
          "medicationRequest: " + schedule.medication() + " is " + schedule.status(), false);
    }
    Instant now = clock.instant();
    Instant when = at.orElse(now);
    if (when.isAfter(now.plus(Duration.ofMinutes(5)))) {
      throw new RefusedReport("time: a dose cannot be reported before it is taken", false);
    }
    if (when.isBefore(now.minus(MAX_AGE))) {
      throw new RefusedReport("time: doses can be reported up to 7 days back", false);
    }
    return intakes.record(
        patientId,
        Optional.of(schedule.id()),
        taken ? IntakeKind.REPORTED_TAKEN : IntakeKind.REPORTED_SKIPPED,
        when,
        "Patient/" + patientId);
  }
}
