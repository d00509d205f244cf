package org.vigil.medication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A dispenser scenario with known schedules and event times (UTC, tolerance ±1 h, late limit 4 h):
 * each dose's classification, and adherence and PDC to the decimal, with the edges — exactly at the
 * tolerance boundary, two events for one dose, an event before the schedule started, a taking at
 * the late limit, as-needed doses, and a dose still due.
 */
class DoseMatcherTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final MatchingRules RULES =
      new MatchingRules(Duration.ofHours(1), Duration.ofHours(4), UTC);
  private static final DoseMatcher MATCHER = new DoseMatcher(RULES);

  private static final Instant FROM = t("2026-03-01T00:00:00Z");
  private static final Instant TO = t("2026-03-05T00:00:00Z");
  private static final Instant LATER = t("2026-03-06T00:00:00Z");

  private long ids = 1;

  private static Instant t(String text) {
    return Instant.parse(text);
  }

  private static DoseSchedule schedule(
      String id, List<LocalTime> times, Set<DayOfWeek> days, boolean asNeeded) {
    return new DoseSchedule(
        id,
        "dm-patient",
        id,
        Optional.empty(),
        "active",
        times,
        days,
        asNeeded,
        Optional.empty(),
        Optional.empty(),
        t("2026-03-02T00:00:00Z"),
        Optional.empty(),
        "Practitioner/dr",
        1);
  }

  /** Twice a day, 08:00 and 20:00, from Monday 2 March 2026. */
  private static final DoseSchedule METFORMIN =
      schedule("metformin", List.of(LocalTime.of(8, 0), LocalTime.of(20, 0)), Set.of(), false);

  /** At noon on Mondays and Wednesdays. */
  private static final DoseSchedule METHOTREXATE =
      schedule(
          "methotrexate",
          List.of(LocalTime.NOON),
          Set.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY),
          false);

  private static final DoseSchedule PARACETAMOL =
      schedule("paracetamol", List.of(), Set.of(), true);

  private Intake intake(String request, IntakeKind kind, String at) {
    return new Intake(
        ids++,
        "dm-patient",
        Optional.of(request),
        kind,
        t(at),
        t(at),
        kind.name().startsWith("REPORTED") ? "Patient/dm-patient" : "Device/dm-dispenser");
  }

  private List<Intake> metforminEvents() {
    List<Intake> events = new ArrayList<>();
    // before the schedule started: extra
    events.add(intake("metformin", IntakeKind.DOSE_DISPENSED, "2026-03-01T20:00:00Z"));
    // Mon 08:00 — opened at 08:55 and dispensed at 09:00 (the boundary): on time, one duplicate
    events.add(intake("metformin", IntakeKind.DOSE_DISPENSED, "2026-03-02T09:00:00Z"));
    events.add(intake("metformin", IntakeKind.COMPARTMENT_OPENED, "2026-03-02T08:55:00Z"));
    // Mon 20:00 — one second past the window: late
    events.add(intake("metformin", IntakeKind.DOSE_DISPENSED, "2026-03-02T21:00:01Z"));
    // Tue 08:00 — a taking at the late limit (12:00, exclusive) is not this dose's: missed, extra
    events.add(intake("metformin", IntakeKind.DOSE_DISPENSED, "2026-03-03T12:00:00Z"));
    // Tue 20:00 — the dispenser says it was missed
    events.add(intake("metformin", IntakeKind.DOSE_MISSED, "2026-03-03T21:30:00Z"));
    // Wed 08:00 — the patient reports taking it an hour early (the other boundary): on time
    events.add(intake("metformin", IntakeKind.REPORTED_TAKEN, "2026-03-04T07:00:00Z"));
    // Wed 14:00 — between doses, past the late limit: extra
    events.add(intake("metformin", IntakeKind.DOSE_DISPENSED, "2026-03-04T14:00:00Z"));
    // Wed 20:00 — on time
    events.add(intake("metformin", IntakeKind.DOSE_DISPENSED, "2026-03-04T20:10:00Z"));
    // a refill notice says nothing about any dose
    events.add(intake("metformin", IntakeKind.REFILL_NEEDED, "2026-03-04T20:11:00Z"));
    return events;
  }

  @Test
  void classifiesEachScheduledDose() {
    DoseMatcher.Matched matched = MATCHER.match(METFORMIN, metforminEvents(), FROM, TO, LATER);

    assertThat(matched.doses())
        .extracting(d -> d.dueAt().toString() + " " + d.outcome())
        .containsExactly(
            "2026-03-02T08:00:00Z ON_TIME",
            "2026-03-02T20:00:00Z LATE",
            "2026-03-03T08:00:00Z MISSED",
            "2026-03-03T20:00:00Z MISSED",
            "2026-03-04T08:00:00Z ON_TIME",
            "2026-03-04T20:00:00Z ON_TIME");
    // the earliest of the two events in the window decides the dose; the other is a duplicate
    assertThat(matched.doses().getFirst().evidence().orElseThrow().kind())
        .isEqualTo(IntakeKind.COMPARTMENT_OPENED);
    assertThat(matched.duplicates())
        .extracting(i -> i.at().toString())
        .containsExactly("2026-03-02T09:00:00Z");
    assertThat(matched.extra())
        .extracting(i -> i.at().toString())
        .containsExactly("2026-03-01T20:00:00Z", "2026-03-03T12:00:00Z", "2026-03-04T14:00:00Z");
    // the missed Tuesday evening dose is missed by the dispenser's word; the morning by silence
    assertThat(matched.doses().get(3).evidence().orElseThrow().kind())
        .isEqualTo(IntakeKind.DOSE_MISSED);
    assertThat(matched.doses().get(2).evidence()).isEmpty();
  }

  @Test
  void adherenceAndProportionOfDaysCoveredToTheDecimal() {
    Intake methotrexateMonday =
        intake("methotrexate", IntakeKind.DOSE_DISPENSED, "2026-03-02T12:30:00Z");
    Intake paracetamol = intake("paracetamol", IntakeKind.REPORTED_TAKEN, "2026-03-03T10:00:00Z");
    Adherence adherence =
        Adherence.of(
            FROM,
            TO,
            List.of(
                MATCHER.match(METFORMIN, metforminEvents(), FROM, TO, LATER),
                MATCHER.match(METHOTREXATE, List.of(methotrexateMonday), FROM, TO, LATER),
                MATCHER.match(PARACETAMOL, List.of(paracetamol), FROM, TO, LATER)),
            List.of(List.of(), List.of(), List.of(paracetamol)),
            UTC);

    Adherence.Rates metformin = adherence.medications().get(0).rates();
    assertThat(metformin.onTime()).isEqualTo(3);
    assertThat(metformin.late()).isEqualTo(1);
    assertThat(metformin.missed()).isEqualTo(2);
    assertThat(metformin.extra()).isEqualTo(3);
    assertThat(metformin.onTimeRate().orElseThrow()).isCloseTo(0.5, within(1e-9));
    assertThat(metformin.takenRate().orElseThrow()).isCloseTo(4.0 / 6, within(1e-9));
    // Monday and Wednesday covered, Tuesday not
    assertThat(metformin.daysCounted()).isEqualTo(3);
    assertThat(metformin.daysCovered()).isEqualTo(2);
    assertThat(metformin.pdc().orElseThrow()).isCloseTo(2.0 / 3, within(1e-9));

    Adherence.Rates methotrexate = adherence.medications().get(1).rates();
    assertThat(methotrexate.onTime()).isEqualTo(1);
    assertThat(methotrexate.missed()).isEqualTo(1); // Wednesday noon: nothing
    assertThat(methotrexate.pdc().orElseThrow()).isCloseTo(0.5, within(1e-9));

    // as needed: listed, never due, never missed, no rate at all (not 0 %, not 100 %)
    Adherence.OfMedication prn = adherence.medications().get(2);
    assertThat(prn.doses()).isEmpty();
    assertThat(prn.asNeeded()).containsExactly(paracetamol);
    assertThat(prn.rates().onTimeRate()).isEmpty();
    assertThat(prn.rates().pdc()).isEmpty();

    // overall: 4 of 8 on time, 5 of 8 taken; only Monday had every dose of every medicine taken
    Adherence.Rates overall = adherence.overall();
    assertThat(overall.onTime()).isEqualTo(4);
    assertThat(overall.late()).isEqualTo(1);
    assertThat(overall.missed()).isEqualTo(3);
    assertThat(overall.onTimeRate().orElseThrow()).isCloseTo(0.5, within(1e-9));
    assertThat(overall.takenRate().orElseThrow()).isCloseTo(0.625, within(1e-9));
    assertThat(overall.daysCounted()).isEqualTo(3);
    assertThat(overall.pdc().orElseThrow()).isCloseTo(1.0 / 3, within(1e-9));
  }

  @Test
  void aDoseStillInItsWindowIsDueAndCountsTowardsNothing() {
    Instant now = t("2026-03-04T20:30:00Z");
    List<Intake> events =
        metforminEvents().stream().filter(i -> i.at().isBefore(t("2026-03-04T20:00:00Z"))).toList();
    DoseMatcher.Matched matched = MATCHER.match(METFORMIN, events, FROM, TO, now);

    assertThat(matched.doses().getLast().outcome()).isEqualTo(DoseOutcome.DUE);
    Adherence.Rates rates =
        Adherence.of(FROM, TO, List.of(matched), List.of(List.of()), UTC).overall();
    assertThat(rates.pending()).isEqualTo(1);
    assertThat(rates.onTime() + rates.late() + rates.missed()).isEqualTo(5);
    // Wednesday is not counted for PDC while its evening dose is undecided
    assertThat(rates.daysCounted()).isEqualTo(2);
    assertThat(rates.pdc().orElseThrow()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void aTakingLateForOneDoseButOnTimeForTheNextIsTheNextOnes() {
    // doses at 08:00 and 12:00: a taking at 11:30 is on time for noon, not late for 08:00
    DoseSchedule close =
        schedule("close", List.of(LocalTime.of(8, 0), LocalTime.NOON), Set.of(), false);
    DoseMatcher.Matched matched =
        MATCHER.match(
            close,
            List.of(intake("close", IntakeKind.DOSE_DISPENSED, "2026-03-02T11:30:00Z")),
            t("2026-03-02T00:00:00Z"),
            t("2026-03-03T00:00:00Z"),
            LATER);
    assertThat(matched.doses())
        .extracting(Dose::outcome)
        .containsExactly(DoseOutcome.MISSED, DoseOutcome.ON_TIME);
  }

  @Test
  void aScheduleThatStoppedMakesNoMoreDoses() {
    DoseSchedule stopped =
        new DoseSchedule(
            "stopped",
            "dm-patient",
            "stopped",
            Optional.empty(),
            "active",
            List.of(LocalTime.of(8, 0)),
            Set.of(),
            false,
            Optional.empty(),
            Optional.empty(),
            t("2026-03-02T00:00:00Z"),
            Optional.of(t("2026-03-03T08:00:00Z")),
            "Practitioner/dr",
            1);
    assertThat(MATCHER.match(stopped, List.of(), FROM, TO, LATER).doses())
        .extracting(d -> d.dueAt().toString())
        .containsExactly("2026-03-02T08:00:00Z");
  }
}
