package org.vigil.medication;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Matches intake evidence to the doses a schedule makes due, in a fixed order so that the same
 * evidence always gives the same answer:
 *
 * <ol>
 *   <li><b>On time</b>: each dose, earliest first, takes the earliest unmatched taking (dispensed,
 *       compartment opened, reported taken) within {@code tolerance} of its time, both boundaries
 *       included.
 *   <li><b>Late</b>: each dose still untaken takes the earliest unmatched taking after its
 *       tolerance window and before the late limit or the opening of the next dose's window,
 *       whichever is first (so that a taking is never claimed late by one dose when it is on time,
 *       or could be, for the next).
 *   <li><b>Duplicates</b>: further takings within a taken dose's tolerance window are more evidence
 *       of the same dose (a dispenser reports both the opening and the dispensing). Vigil cannot
 *       tell a double dose from two reports of one, so it counts one and lists the others.
 *   <li><b>Extra</b>: any other taking — before the schedule started, between doses beyond the late
 *       limit, after it stopped.
 *   <li><b>Missed</b>: a dose still untaken is missed when the dispenser says so or the patient
 *       reports skipping it within its window, or once its late window has closed. Until then it is
 *       due (or upcoming) and counts towards nothing.
 * </ol>
 *
 * As-needed schedules make no dose due: their takings are listed, never missed, and count towards
 * no adherence.
 */
public final class DoseMatcher {

  /** Doses and the evidence no dose took. */
  public record Matched(
      DoseSchedule schedule, List<Dose> doses, List<Intake> extra, List<Intake> duplicates) {}

  private final MatchingRules rules;

  public DoseMatcher(MatchingRules rules) {
    this.rules = rules;
  }

  public MatchingRules rules() {
    return rules;
  }

  /**
   * The schedule's doses due in {@code [from, to)}, as decided at {@code now}, and its evidence in
   * that period no dose took.
   *
   * @param intakes the schedule's evidence; evidence near the period's edges is needed too (a dose
   *     due just before {@code to} may be taken just after it)
   */
  public Matched match(
      DoseSchedule schedule, List<Intake> intakes, Instant from, Instant to, Instant now) {
    List<Intake> takings =
        intakes.stream()
            .filter(i -> i.kind().taken())
            .sorted(Comparator.comparing(Intake::at).thenComparing(Intake::id))
            .toList();
    if (schedule.asNeeded()) {
      return new Matched(schedule, List.of(), List.of(), List.of());
    }
    List<Instant> due =
        dueTimes(schedule, from.minus(rules.lateLimit()), to.plus(rules.lateLimit()));
    int n = due.size();
    Intake[] taking = new Intake[n];
    DoseOutcome[] outcome = new DoseOutcome[n];
    Set<Intake> used = new HashSet<>();
    for (int d = 0; d < n; d++) {
      Instant at = due.get(d);
      Optional<Intake> found =
          takings.stream()
              .filter(t -> !used.contains(t))
              .filter(t -> !t.at().isBefore(at.minus(rules.tolerance())))
              .filter(t -> !t.at().isAfter(at.plus(rules.tolerance())))
              .findFirst();
      if (found.isPresent()) {
        taking[d] = found.get();
        outcome[d] = DoseOutcome.ON_TIME;
        used.add(found.get());
      }
    }
    for (int d = 0; d < n; d++) {
      if (outcome[d] != null) {
        continue;
      }
      Instant windowEnd = due.get(d).plus(rules.tolerance());
      Instant lateEnd = lateEnd(due, d);
      Optional<Intake> found =
          takings.stream()
              .filter(t -> !used.contains(t))
              .filter(t -> t.at().isAfter(windowEnd) && t.at().isBefore(lateEnd))
              .findFirst();
      if (found.isPresent()) {
        taking[d] = found.get();
        outcome[d] = DoseOutcome.LATE;
        used.add(found.get());
      }
    }
    List<Intake> duplicates = new ArrayList<>();
    List<Intake> extra = new ArrayList<>();
    for (Intake t : takings) {
      if (used.contains(t) || t.at().isBefore(from) || !t.at().isBefore(to)) {
        continue;
      }
      boolean sameDose = false;
      for (int d = 0; d < n; d++) {
        if (outcome[d] != null
            && !t.at().isBefore(due.get(d).minus(rules.tolerance()))
            && !t.at().isAfter(due.get(d).plus(rules.tolerance()))) {
          sameDose = true;
          break;
        }
      }
      (sameDose ? duplicates : extra).add(t);
    }
    List<Intake> misses =
        intakes.stream()
            .filter(i -> i.kind().notTaken())
            .sorted(Comparator.comparing(Intake::at).thenComparing(Intake::id))
            .toList();
    List<Dose> doses = new ArrayList<>();
    for (int d = 0; d < n; d++) {
      Instant at = due.get(d);
      if (at.isBefore(from) || !at.isBefore(to)) {
        continue;
      }
      if (outcome[d] != null) {
        doses.add(new Dose(schedule.id(), at, outcome[d], Optional.of(taking[d])));
        continue;
      }
      Instant lateEnd = lateEnd(due, d);
      Optional<Intake> reported =
          misses.stream()
              .filter(m -> !m.at().isBefore(at.minus(rules.tolerance())))
              .filter(m -> m.at().isBefore(lateEnd))
              .findFirst();
      if (reported.isPresent()) {
        doses.add(new Dose(schedule.id(), at, DoseOutcome.MISSED, reported));
      } else if (!now.isBefore(lateEnd)) {
        doses.add(new Dose(schedule.id(), at, DoseOutcome.MISSED, Optional.empty()));
      } else if (!now.isBefore(at.minus(rules.tolerance()))) {
        doses.add(new Dose(schedule.id(), at, DoseOutcome.DUE, Optional.empty()));
      } else {
        doses.add(new Dose(schedule.id(), at, DoseOutcome.UPCOMING, Optional.empty()));
      }
    }
    return new Matched(schedule, List.copyOf(doses), List.copyOf(extra), List.copyOf(duplicates));
  }

  /** The end (exclusive) of dose d's late window. */
  private Instant lateEnd(List<Instant> due, int d) {
    Instant end = due.get(d).plus(rules.lateLimit());
    if (d + 1 < due.size()) {
      Instant nextOpens = due.get(d + 1).minus(rules.tolerance());
      if (nextOpens.isBefore(end)) {
        end = nextOpens;
      }
    }
    return end;
  }

  /** The times doses are due in {@code [from, to)}, within the schedule's start and end. */
  List<Instant> dueTimes(DoseSchedule schedule, Instant from, Instant to) {
    List<Instant> due = new ArrayList<>();
    if (schedule.asNeeded()) {
      return due;
    }
    LocalDate day = from.atZone(rules.zone()).toLocalDate().minusDays(1);
    LocalDate last = to.atZone(rules.zone()).toLocalDate().plusDays(1);
    for (; !day.isAfter(last); day = day.plusDays(1)) {
      if (!schedule.dueOn(day.getDayOfWeek())) {
        continue;
      }
      for (LocalTime time : schedule.timesOfDay()) {
        Instant at = ZonedDateTime.of(day, time, rules.zone()).toInstant();
        if (at.isBefore(from) || !at.isBefore(to) || at.isBefore(schedule.start())) {
          continue;
        }
        if (schedule.end().map(end -> !at.isBefore(end)).orElse(false)) {
          continue;
        }
        due.add(at);
      }
    }
    return due;
  }
}
