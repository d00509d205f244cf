package org.vigil.simulate;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run sent and how Vigil answered: messages and readings sent and accepted, refusals and
 * errors by reason, and the faults played. Garbage is expected to be refused; a garbage message
 * Vigil accepted is a finding.
 */
public record Summary(
    String scenario,
    int patients,
    int devices,
    Duration simulated,
    Duration wall,
    long sentMessages,
    long sentReadings,
    long acceptedMessages,
    long acceptedReadings,
    Map<String, Long> refused,
    Map<String, Long> errors,
    long garbageSent,
    long garbageRefused,
    long duplicatesSent,
    long heldBack,
    long droppedOffline,
    long retries,
    long unsent) {

  public long refusedMessages() {
    return refused.values().stream().mapToLong(Long::longValue).sum();
  }

  public long errorMessages() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Every message got its expected answer: real ones accepted, garbage refused. */
  public boolean clean() {
    return errorMessages() == 0
        && unsent == 0
        && garbageRefused == garbageSent
        && refusedMessages() == garbageRefused;
  }

  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "Simulated %s of %s (%d patients, %d devices) in %.1f s%n",
            human(simulated), scenario, patients, devices, wall.toMillis() / 1000.0));
    out.append(
        String.format("  sent      %,9d messages (%,d readings)%n", sentMessages, sentReadings));
    out.append(
        String.format(
            "  accepted  %,9d messages (%,d readings)%n", acceptedMessages, acceptedReadings));
    out.append(String.format("  refused   %,9d messages%n", refusedMessages()));
    refused.forEach((reason, n) -> out.append(String.format("    %,9d  %s%n", n, reason)));
    out.append(String.format("  errors    %,9d messages%n", errorMessages() + unsent));
    errors.forEach((reason, n) -> out.append(String.format("    %,9d  %s%n", n, reason)));
    if (unsent > 0) {
      out.append(String.format("    %,9d  not sent before the end%n", unsent));
    }
    if (garbageSent + duplicatesSent + heldBack + droppedOffline + retries > 0) {
      out.append(
          String.format(
              "  faults    %,d garbage (%,d refused, as expected), %,d duplicates, %,d out of"
                  + " order, %,d readings lost offline, %,d retries%n",
              garbageSent, garbageRefused, duplicatesSent, heldBack, droppedOffline, retries));
    }
    if (garbageSent > garbageRefused) {
      out.append(
          String.format(
              "  WARNING   %,d garbage messages were not refused%n", garbageSent - garbageRefused));
    }
    return out.toString();
  }

  private static String human(Duration d) {
    if (d.toSeconds() % 3600 == 0) {
      return d.toHours() + " h";
    }
    if (d.toSeconds() % 60 == 0) {
      return d.toMinutes() + " min";
    }
    return d.toSeconds() + " s";
  }

  /** The running counts, updated from every sender thread. */
  static final class Tally {
    final LongAdder sentMessages = new LongAdder();
    final LongAdder sentReadings = new LongAdder();
    final LongAdder acceptedMessages = new LongAdder();
    final LongAdder acceptedReadings = new LongAdder();
    final LongAdder garbageSent = new LongAdder();
    final LongAdder garbageRefused = new LongAdder();
    final LongAdder duplicatesSent = new LongAdder();
    final LongAdder heldBack = new LongAdder();
    final LongAdder droppedOffline = new LongAdder();
    final LongAdder retries = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    void record(boolean garbage, int readings, Sender.Delivery delivery) {
      sentMessages.increment();
      sentReadings.add(readings);
      retries.add(delivery.retries());
      if (garbage) {
        garbageSent.increment();
      }
      switch (delivery.outcome()) {
        case ACCEPTED -> {
          acceptedMessages.increment();
          acceptedReadings.add(delivery.readings());
        }
        case REFUSED -> {
          refused.computeIfAbsent(delivery.reason(), r -> new LongAdder()).increment();
          if (garbage) {
            garbageRefused.increment();
          }
        }
        case FAILED -> errors.computeIfAbsent(delivery.reason(), r -> new LongAdder()).increment();
      }
    }

    Summary summary(
        String scenario,
        int patients,
        int devices,
        Duration simulated,
        Duration wall,
        long unsent) {
      return new Summary(
          scenario,
          patients,
          devices,
          simulated,
          wall,
          sentMessages.sum(),
          sentReadings.sum(),
          acceptedMessages.sum(),
          acceptedReadings.sum(),
          counts(refused),
          counts(errors),
          garbageSent.sum(),
          garbageRefused.sum(),
          duplicatesSent.sum(),
          heldBack.sum(),
          droppedOffline.sum(),
          retries.sum(),
          unsent);
    }

    private static Map<String, Long> counts(Map<String, LongAdder> adders) {
      Map<String, Long> counts = new TreeMap<>();
      adders.forEach((reason, n) -> counts.put(reason, n.sum()));
      return Collections.unmodifiableMap(counts);
    }
  }
}
