package org.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dispenser's doses: the same seed, the same fates, however the clock is cut into windows. */
class DoseEventsTest {

  private static final Scenario.Dispensing TWICE_A_DAY =
      new Scenario.Dispensing(List.of(LocalTime.of(20, 0), LocalTime.of(8, 0)), 2, 0.25, 0.25);
  private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

  @Test
  void theSameSeedGivesTheSameDosesWhateverTheWindows() {
    DoseEvents plan = new DoseEvents(TWICE_A_DAY, ZoneOffset.UTC, 42);
    Instant end = START.plus(Duration.ofDays(30));
    List<DoseEvents.Dose> inOneGo = plan.reportedBetween(START, end);
    List<DoseEvents.Dose> windowed = new ArrayList<>();
    for (Instant at = START; at.isBefore(end); at = at.plus(Duration.ofMinutes(97))) {
      Instant next = at.plus(Duration.ofMinutes(97));
      windowed.addAll(plan.reportedBetween(at, next.isAfter(end) ? end : next));
    }
    assertThat(windowed).isEqualTo(inOneGo);
    assertThat(new DoseEvents(TWICE_A_DAY, ZoneOffset.UTC, 42).reportedBetween(START, end))
        .isEqualTo(inOneGo);
    assertThat(new DoseEvents(TWICE_A_DAY, ZoneOffset.UTC, 43).reportedBetween(START, end))
        .isNotEqualTo(inOneGo);
  }

  @Test
  void eachFateIsDrawnAboutAsOftenAsAskedAndTimedAsDocumented() {
    DoseEvents plan = new DoseEvents(TWICE_A_DAY, ZoneOffset.UTC, 7);
    List<DoseEvents.Dose> doses = plan.dueBetween(START, START.plus(Duration.ofDays(200)));
    assertThat(doses).hasSize(400);
    long late = doses.stream().filter(d -> d.fate() == DoseEvents.Fate.LATE).count();
    long missed = doses.stream().filter(d -> d.fate() == DoseEvents.Fate.MISSED).count();
    assertThat(late).isBetween(70L, 130L);
    assertThat(missed).isBetween(70L, 130L);
    for (DoseEvents.Dose dose : doses) {
      long minutes = Duration.between(dose.dueAt(), dose.eventAt()).toMinutes();
      switch (dose.fate()) {
        case ON_TIME -> assertThat(minutes).isBetween(-30L, 30L);
        case LATE -> assertThat(minutes).isBetween(75L, 180L);
        case MISSED -> {
          assertThat(minutes).isEqualTo(120L);
          assertThat(dose.type()).isEqualTo("dose-missed");
        }
      }
    }
  }

  @Test
  void pillPalEventsAreItsCompactJson() {
    DoseEvents plan = new DoseEvents(TWICE_A_DAY, ZoneOffset.UTC, 7);
    DoseEvents.Dose dose =
        new DoseEvents.Dose(
            START, DoseEvents.Fate.ON_TIME, START.plusSeconds(60), "dose-dispensed");
    assertThat(new String(plan.payload(dose, DeviceKind.PILLPAL_DISPENSER, Duration.ZERO)))
        .isEqualTo("{\"evt\":\"DISP\",\"slot\":2,\"ts\":" + (START.getEpochSecond() + 60) + "}");
    assertThat(new String(plan.payload(dose, DeviceKind.PILL_DISPENSER, Duration.ofMinutes(-1))))
        .isEqualTo(
            "{\"type\":\"dose-dispensed\",\"time\":\"2026-03-02T00:00:00Z\",\"compartment\":2}");
  }
}
