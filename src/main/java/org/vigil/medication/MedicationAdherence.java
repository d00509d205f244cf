package org.vigil.medication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** A patient's doses and adherence, from their schedules and evidence as stored. */
@Service
public class MedicationAdherence {

  private final MedicationSchedules schedules;
  private final Intakes intakes;
  private final MedicationSettings settings;
  private final MedicationProperties properties;

  MedicationAdherence(
      MedicationSchedules schedules,
      Intakes intakes,
      MedicationSettings settings,
      MedicationProperties properties) {
    this.schedules = schedules;
    this.intakes = intakes;
    this.settings = settings;
    this.properties = properties;
  }

  /** The matcher with the patient's time zone. */
  public DoseMatcher matcherFor(String patientId) {
    return new DoseMatcher(properties.rules(settings.of(patientId).timeZone()));
  }

  /** Adherence over {@code [from, to)} as it stands at {@code now}, of the patient's schedules. */
  public Adherence of(String patientId, Instant from, Instant to, Instant now) {
    return of(patientId, schedules.ofPatient(patientId), from, to, now);
  }

  /** Adherence over {@code [from, to)} as it stands at {@code now}, of these schedules. */
  public Adherence of(
      String patientId, List<DoseSchedule> which, Instant from, Instant to, Instant now) {
    DoseMatcher matcher = matcherFor(patientId);
    // evidence around the period too: a dose due near an edge may be taken across it
    List<Intake> evidence =
        intakes.ofPatient(
            patientId,
            from.minus(properties.lateLimit()).minus(properties.tolerance()),
            to.plus(properties.lateLimit()).plus(properties.tolerance()));
    Map<String, List<Intake>> bySchedule =
        evidence.stream()
            .filter(i -> i.requestId().isPresent())
            .collect(Collectors.groupingBy(i -> i.requestId().get()));
    List<DoseMatcher.Matched> matched = new ArrayList<>();
    List<List<Intake>> asNeeded = new ArrayList<>();
    for (DoseSchedule schedule : which) {
      List<Intake> own = bySchedule.getOrDefault(schedule.id(), List.of());
      matched.add(matcher.match(schedule, own, from, to, now));
      asNeeded.add(
          schedule.asNeeded()
              ? own.stream()
                  .filter(i -> i.kind().taken())
                  .filter(i -> !i.at().isBefore(from) && i.at().isBefore(to))
                  .toList()
              : List.of());
    }
    return Adherence.of(from, to, matched, asNeeded, matcher.rules().zone());
  }
}
