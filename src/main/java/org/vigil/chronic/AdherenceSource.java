package org.vigil.chronic;

import java.time.Instant;
import java.util.Optional;

/**
 * Extension point: where the remote-monitoring program report gets medication adherence from. The
 * medication feature implements it; without an implementation (or when it has nothing for the
 * patient) the report says adherence is not available — it never shows a number it does not have.
 */
public interface AdherenceSource {

  /**
   * The patient's adherence over {@code [from, to)}, if known.
   *
   * @return empty when nothing is known for the patient and period
   */
  Optional<Adherence> adherence(String patientId, Instant from, Instant to);

  /**
   * @param onTimePercent doses taken on time, percent of doses scheduled
   * @param pdcPercent proportion of days covered, percent
   * @param description how it was measured, in a sentence, as the report shows it
   */
  record Adherence(double onTimePercent, double pdcPercent, String description) {}
}
