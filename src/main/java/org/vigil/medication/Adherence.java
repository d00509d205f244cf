package org.vigil.medication;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Adherence over a period, per medicine and overall.
 *
 * <ul>
 *   <li><b>On-time adherence</b>: doses taken on time ÷ scheduled doses decided in the period (on
 *       time, late or missed). This is the "timing adherence" of electronic monitoring (Vrijens et
 *       al., ABC taxonomy, Br J Clin Pharmacol 2012: implementation is "the extent to which a
 *       patient's actual dosing corresponds to the prescribed dosing regimen").
 *   <li><b>Taken</b>: doses taken on time or late ÷ decided doses ("taking adherence").
 *   <li><b>PDC</b>, proportion of days covered: days covered ÷ days in the period with decided
 *       scheduled doses. The Pharmacy Quality Alliance defines PDC from pharmacy fills (days
 *       supplied); Vigil has intake evidence instead, so a day counts as covered when every dose
 *       due that day was taken (on time or late) — for one medicine, or, overall, for all of them.
 *       Days with a dose still undecided are left out.
 * </ul>
 *
 * A rate with nothing to count is empty, never 0 % or 100 %: no doses is not perfect adherence.
 * Doses still due or upcoming count towards nothing.
 */
public record Adherence(Instant from, Instant to, List<OfMedication> medications, Rates overall) {

  /** Counts and rates. */
  public record Rates(
      int onTime,
      int late,
      int missed,
      int pending,
      int extra,
      int daysCounted,
      int daysCovered,
      Optional<Double> onTimeRate,
      Optional<Double> takenRate,
      Optional<Double> pdc) {

    static Rates of(List<Dose> doses, int extra, ZoneId zone) {
      int onTime = count(doses, DoseOutcome.ON_TIME);
      int late = count(doses, DoseOutcome.LATE);
      int missed = count(doses, DoseOutcome.MISSED);
      int pending = (int) doses.stream().filter(d -> !d.outcome().decided()).count();
      Map<LocalDate, List<Dose>> byDay = new TreeMap<>();
      for (Dose dose : doses) {
        byDay
            .computeIfAbsent(dose.dueAt().atZone(zone).toLocalDate(), k -> new ArrayList<>())
            .add(dose);
      }
      int counted = 0;
      int covered = 0;
      for (List<Dose> day : byDay.values()) {
        if (day.stream().allMatch(d -> d.outcome().decided())) {
          counted++;
          if (day.stream().allMatch(d -> d.outcome().taken())) {
            covered++;
          }
        }
      }
      int decided = onTime + late + missed;
      return new Rates(
          onTime,
          late,
          missed,
          pending,
          extra,
          counted,
          covered,
          ratio(onTime, decided),
          ratio(onTime + late, decided),
          ratio(covered, counted));
    }

    private static int count(List<Dose> doses, DoseOutcome outcome) {
      return (int) doses.stream().filter(d -> d.outcome() == outcome).count();
    }

    private static Optional<Double> ratio(int part, int whole) {
      return whole == 0 ? Optional.empty() : Optional.of((double) part / whole);
    }
  }

  /** One medicine's doses and rates. */
  public record OfMedication(
      DoseSchedule schedule,
      List<Dose> doses,
      List<Intake> extra,
      List<Intake> duplicates,
      List<Intake> asNeeded,
      Rates rates) {}

  /** Adherence from matched schedules. */
  public static Adherence of(
      Instant from,
      Instant to,
      List<DoseMatcher.Matched> matched,
      List<List<Intake>> asNeeded,
      ZoneId zone) {
    List<OfMedication> medications = new ArrayList<>();
    List<Dose> all = new ArrayList<>();
    int extra = 0;
    for (int i = 0; i < matched.size(); i++) {
      DoseMatcher.Matched m = matched.get(i);
      medications.add(
          new OfMedication(
              m.schedule(),
              m.doses(),
              m.extra(),
              m.duplicates(),
              asNeeded.get(i),
              Rates.of(m.doses(), m.extra().size(), zone)));
      all.addAll(m.doses());
      extra += m.extra().size();
    }
    return new Adherence(from, to, List.copyOf(medications), Rates.of(all, extra, zone));
  }
}
