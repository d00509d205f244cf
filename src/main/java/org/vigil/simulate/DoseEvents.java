package org.vigil.simulate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a dispenser's patient does with each dose: on time, late or missed, drawn from the device's
 * seed and the dose's time alone — so whichever window of the simulated clock the event falls in,
 * and however fast the clock runs, the same dose gets the same fate and the same event.
 */
final class DoseEvents {

  enum Fate {
    ON_TIME,
    LATE,
    MISSED
  }

  /**
   * One dose and the event the dispenser sends about it.
   *
   * @param dueAt when the dose was due
   * @param fate what the patient did
   * @param eventAt when the dispenser reports it
   * @param type the native event type ({@code dose-dispensed} or {@code dose-missed})
   */
  record Dose(Instant dueAt, Fate fate, Instant eventAt, String type) {}

  private final Scenario.Dispensing dispensing;
  private final ZoneId zone;
  private final long seed;

  DoseEvents(Scenario.Dispensing dispensing, ZoneId zone, long seed) {
    this.dispensing = dispensing;
    this.zone = zone;
    this.seed = seed;
  }

  /** The doses whose events fall in {@code [from, to)}, in event order. */
  List<Dose> reportedBetween(Instant from, Instant to) {
    // an event comes at most 3 h after its dose and at most 30 min before it
    List<Dose> doses = new ArrayList<>();
    for (Dose dose : dueBetween(from.minus(Duration.ofHours(3)), to.plus(Duration.ofMinutes(30)))) {
      if (!dose.eventAt().isBefore(from) && dose.eventAt().isBefore(to)) {
        doses.add(dose);
      }
    }
    doses.sort(Comparator.comparing(Dose::eventAt).thenComparing(Dose::dueAt));
    return doses;
  }

  /** The doses due in {@code [from, to)}, in order. */
  List<Dose> dueBetween(Instant from, Instant to) {
    List<Dose> doses = new ArrayList<>();
    LocalDate day = from.atZone(zone).toLocalDate().minusDays(1);
    LocalDate last = to.atZone(zone).toLocalDate().plusDays(1);
    for (; !day.isAfter(last); day = day.plusDays(1)) {
      for (LocalTime time : dispensing.times()) {
        Instant due = ZonedDateTime.of(day, time, zone).toInstant();
        if (!due.isBefore(from) && due.isBefore(to)) {
          doses.add(fate(due));
        }
      }
    }
    return doses;
  }

  private Dose fate(Instant due) {
    SplittableRandom dice =
        new SplittableRandom(seed ^ (due.getEpochSecond() * 0x9E3779B97F4A7C15L));
    double roll = dice.nextDouble();
    if (roll < dispensing.missed()) {
      return new Dose(due, Fate.MISSED, due.plus(Duration.ofHours(2)), "dose-missed");
    }
    if (roll < dispensing.missed() + dispensing.late()) {
      return new Dose(
          due, Fate.LATE, due.plus(Duration.ofMinutes(75 + dice.nextInt(106))), "dose-dispensed");
    }
    return new Dose(
        due, Fate.ON_TIME, due.plus(Duration.ofMinutes(dice.nextInt(61) - 30)), "dose-dispensed");
  }

  /** The event as the device sends it: Vigil's native JSON, or PillPal's. */
  byte[] payload(Dose dose, DeviceKind kind, Duration skew) {
    Instant at = dose.eventAt().plus(skew);
    String json =
        kind == DeviceKind.PILLPAL_DISPENSER
            ? "{\"evt\":\""
                + (dose.fate() == Fate.MISSED ? "MISS" : "DISP")
                + "\",\"slot\":"
                + dispensing.compartment()
                + ",\"ts\":"
                + at.getEpochSecond()
                + "}"
            : "{\"type\":\""
                + dose.type()
                + "\",\"time\":\""
                + at
                + "\",\"compartment\":"
                + dispensing.compartment()
                + "}";
    return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
