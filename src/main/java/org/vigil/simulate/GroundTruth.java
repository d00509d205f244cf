package org.vigil.simulate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a run of a scenario really did, in the simulated clock: which episode befell which patient
 * from when to when, and which device was off the network or had its clock wrong — the answers an
 * alarm test scores detection against. Times are ISO-8601 instants, as the readings carry them.
 *
 * @param start the simulated start; readings are dated from here
 * @param end the simulated end
 */
public record GroundTruth(
    String scenario,
    long seed,
    double speed,
    String start,
    String end,
    List<EpisodeTruth> episodes,
    List<DeviceTruth> devices,
    List<DoseTruth> doses) {

  /**
   * A dispenser's dose due in the run and what its patient did with it.
   *
   * @param fate {@code on-time}, {@code late} or {@code missed}
   * @param eventAt when the dispenser reported it (the simulated time; a skewed device dates it off
   *     by its skew)
   * @param sent whether the event fell within the run (one due near its end may not)
   */
  public record DoseTruth(
      String deviceId,
      String patientId,
      String dueAt,
      String fate,
      String eventAt,
      String eventType,
      boolean sent) {}

  /**
   * @param onset when the episode began; its effects grow until {@code fullEffect}
   * @param end when it stopped
   */
  public record EpisodeTruth(
      String id,
      String type,
      String patientId,
      String onset,
      String fullEffect,
      String end,
      String onsetOffset,
      String duration,
      double severity) {}

  /**
   * @param clockSkew how far the device's timestamps are off (ISO-8601 duration): a reading dated T
   *     was taken at T minus the skew
   */
  public record DeviceTruth(
      String deviceId,
      String patientId,
      String kind,
      String transport,
      String clockSkew,
      List<Outage> outages,
      List<ProbeOff> probeOffs) {}

  /** The SpO2 probe off the patient from {@code start} to {@code end}: its SpO2 is artefact. */
  public record ProbeOff(String start, String end) {}

  /** Off the network from {@code start} to {@code end}; buffered readings come afterwards. */
  public record Outage(String start, String end, boolean buffered) {}

  static GroundTruth of(
      Scenario scenario,
      List<PlayedDevice> devices,
      long seed,
      double speed,
      Instant start,
      java.util.Map<PlayedDevice, DoseEvents> dispensers) {
    Instant end = start.plus(scenario.duration());
    List<DoseTruth> doses = new java.util.ArrayList<>();
    dispensers.forEach((device, plan) -> {
      for (DoseEvents.Dose dose : plan.dueBetween(start, end)) {
        doses.add(
            new DoseTruth(
                device.id(),
                device.device().patientId(),
                dose.dueAt().toString(),
                dose.fate().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                dose.eventAt().toString(),
                dose.type(),
                !dose.eventAt().isBefore(start) && dose.eventAt().isBefore(end)));
      }
    });
    doses.sort(java.util.Comparator.comparing(DoseTruth::deviceId).thenComparing(DoseTruth::dueAt));
    List<EpisodeTruth> episodes =
        scenario.episodes().stream()
            .map(e ->
                new EpisodeTruth(
                    e.id(),
                    e.type().type(),
                    e.patient(),
                    start.plus(e.onset()).toString(),
                    start.plus(e.onset()).plus(e.ramp()).toString(),
                    start.plus(e.onset()).plus(e.duration()).toString(),
                    e.onset().toString(),
                    e.duration().toString(),
                    e.severity()))
            .toList();
    List<DeviceTruth> played =
        devices.stream()
            .map(d ->
                new DeviceTruth(
                    d.id(),
                    d.device().patientId(),
                    d.device().kind().type(),
                    d.transport().label(),
                    d.faults().skew().toString(),
                    d.faults().outages().stream()
                        .map(o ->
                            new Outage(
                                start.plus(o.at()).toString(),
                                start
                                    .plus(min(o.at().plus(o.duration()), scenario.duration()))
                                    .toString(),
                                o.buffer()))
                        .toList(),
                    d.faults().probeOffs().stream()
                        .map(p ->
                            new ProbeOff(
                                start.plus(p.at()).toString(),
                                start
                                    .plus(min(p.at().plus(p.duration()), scenario.duration()))
                                    .toString()))
                        .toList()))
            .toList();
    return new GroundTruth(
        scenario.name(),
        seed,
        speed,
        start.toString(),
        start.plus(scenario.duration()).toString(),
        episodes,
        played,
        List.copyOf(doses));
  }

  /** Written to a temporary file and moved into place, so a reader never sees half of it. */
  public void write(Path file) {
    try {
      Path absolute = file.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      Path temporary = Files.createTempFile(absolute.getParent(), ".ground-truth", ".tmp");
      JsonMapper.builder()
          .build()
          .writerWithDefaultPrettyPrinter()
          .writeValue(temporary.toFile(), this);
      Files.move(
          temporary,
          absolute,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
