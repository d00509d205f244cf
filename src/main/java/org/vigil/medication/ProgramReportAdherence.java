package org.vigil.medication;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.vigil.chronic.AdherenceSource;

/**
 * Medication adherence for the remote-monitoring program report: the patient's overall rates over
 * the report's period, as the adherence API gives them. A period in which no dose was decided, or
 * no day counted, has no rate, and the report then says adherence is not available.
 */
@Component
class ProgramReportAdherence implements AdherenceSource {

  private final MedicationAdherence adherence;
  private final MedicationProperties properties;
  private final Clock clock = Clock.systemUTC();

  ProgramReportAdherence(MedicationAdherence adherence, MedicationProperties properties) {
    this.adherence = adherence;
    this.properties = properties;
  }

  @Override
  public Optional<AdherenceSource.Adherence> adherence(String patientId, Instant from, Instant to) {
    org.vigil.medication.Adherence.Rates rates =
        adherence.of(patientId, from, to, clock.instant()).overall();
    if (rates.onTimeRate().isEmpty() || rates.pdc().isEmpty()) {
      return Optional.empty();
    }
    int decided = rates.onTime() + rates.late() + rates.missed();
    return Optional.of(
        new AdherenceSource.Adherence(
            rates.onTimeRate().get() * 100,
            rates.pdc().get() * 100,
            String.format(
                "%d of %d scheduled doses taken within %d min of their time, %d late, %d missed;"
                    + " %d of %d days with every dose taken",
                rates.onTime(),
                decided,
                properties.tolerance().toMinutes(),
                rates.late(),
                rates.missed(),
                rates.daysCovered(),
                rates.daysCounted())));
  }
}
