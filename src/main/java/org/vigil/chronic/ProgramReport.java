package org.vigil.chronic;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The remote-monitoring program report of one patient and period: what a clinician files. Days with
 * readings count days (in the patient's time zone) with at least one reading from a device —
 * entries people typed do not count, as US remote physiologic monitoring (CPT 99454) counts days of
 * device-supplied data, 16 or more in 30 days. Review time is what the web app logged.
 *
 * @param patientId whose
 * @param patientName their name, as the record has it
 * @param from start of the period, inclusive
 * @param to end, exclusive
 * @param daysInPeriod calendar days the period touches
 * @param daysWithReadings days with device readings
 * @param daysRequired the program's rule scaled to the period (16 of 30 days)
 * @param reviews review time per clinician
 * @param metrics the figures at the end of the period
 * @param summaries the same in words
 * @param adherence medication adherence, if the medication feature knows it
 */
public record ProgramReport(
    String patientId,
    String patientName,
    Instant from,
    Instant to,
    int daysInPeriod,
    int daysWithReadings,
    int daysRequired,
    List<LocalDate> days,
    List<ReviewTimes.ByPerson> reviews,
    CareMetrics.Snapshot metrics,
    List<CareSummaries.Summary> summaries,
    Optional<AdherenceSource.Adherence> adherence) {

  /** The US remote monitoring rule: device readings on 16 of 30 days. */
  public static final int RULE_DAYS = 16;

  public static final int RULE_PERIOD_DAYS = 30;

  public boolean daysRuleMet() {
    return daysWithReadings >= daysRequired;
  }

  public long reviewSeconds() {
    return reviews.stream().mapToLong(ReviewTimes.ByPerson::seconds).sum();
  }
}
