package org.vigil.simulate;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A scripted ward, as a scenario file describes it (docs/SIMULATOR.md): how long it runs, its
 * patients with their resting values and devices, the clinical episodes that befall them and the
 * faults the devices suffer. Validated when built, so a scenario that loads is one that runs.
 *
 * @param name what the summary and the ground truth call it
 * @param duration simulated time from start to end
 * @param seed makes physiology and faults reproducible; {@code --seed} overrides it
 * @param timeZone where the ward is, for the circadian rhythm (UTC when absent)
 * @param intervals how often devices report each vital, by vital name; absent ones keep their
 *     defaults
 * @param faults what every device suffers unless its own faults say otherwise
 */
public record Scenario(
    String name,
    String description,
    Duration duration,
    Long seed,
    ZoneId timeZone,
    Map<String, Duration> intervals,
    Faults faults,
    List<Patient> patients,
    List<Episode> episodes) {

  public Scenario {
    require(name != null && !name.isBlank(), "name: is required");
    description = description == null ? "" : description;
    require(duration != null, "duration: is required, e.g. \"PT24H\"");
    require(duration.compareTo(Duration.ofSeconds(1)) >= 0, "duration: must be at least a second");
    seed = seed == null ? 0L : seed;
    timeZone = timeZone == null ? ZoneOffset.UTC : timeZone;
    intervals = intervals == null ? Map.of() : Map.copyOf(intervals);
    for (var interval : intervals.entrySet()) {
      require(
          Vital.byName(interval.getKey()).isPresent(),
          "intervals." + interval.getKey() + ": no such vital; known: " + Vital.names());
      require(
          interval.getValue().compareTo(Duration.ofMillis(100)) >= 0,
          "intervals." + interval.getKey() + ": must be at least 100 ms");
    }
    faults = faults == null ? Faults.NONE : faults;
    require(patients != null && !patients.isEmpty(), "patients: at least one is required");
    patients = List.copyOf(patients);
    episodes = episodes == null ? List.of() : List.copyOf(episodes);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < patients.size(); i++) {
      require(
          ids.add(patients.get(i).id()),
          "patients[" + i + "].id: " + patients.get(i).id() + " appears twice");
      for (int d = 0; d < patients.get(i).devices().size(); d++) {
        Device device = patients.get(i).devices().get(d);
        String where = "patients[" + i + "].devices[" + d + "].faults";
        Faults its = device.faults().or(faults);
        its.check(where, duration);
        require(
            device.transport() != Transport.GATT || GattPayload.speaks(device.kind()),
            "patients["
                + i
                + "].devices["
                + d
                + "].transport: a "
                + device.kind().type()
                + " has no Bluetooth GATT characteristic for all it measures; gatt is for"
                + " pulse-oximeter, blood-pressure-cuff, temperature-patch, glucose-monitor and"
                + " weight-scale");
        if (!its.probeOffs().isEmpty()) {
          require(
              device.kind().vitals().contains(Vital.OXYGEN_SATURATION),
              where + ".probeOff: only a device with an SpO2 probe has one to come off");
          require(
              device.transport() != Transport.MLLP,
              where + ".probeOff: an HL7 v2 gateway sends no device events; use http or mqtt");
        }
      }
    }
    faults.check("faults", duration);
    for (int i = 0; i < episodes.size(); i++) {
      Episode episode = episodes.get(i);
      require(
          ids.contains(episode.patient()),
          "episodes[" + i + "].patient: no patient " + episode.patient() + " in the scenario");
      require(
          episode.onset().plus(episode.duration()).compareTo(duration) <= 0,
          "episodes["
              + i
              + "]: ends at "
              + episode.onset().plus(episode.duration())
              + ", after the scenario's "
              + duration);
    }
  }

  /** How often devices report the vital in this scenario. */
  Duration interval(Vital vital) {
    return intervals.getOrDefault(vital.jsonName(), vital.defaultInterval());
  }

  /**
   * A patient.
   *
   * @param seed their own seed, for a patient who should look the same whatever the scenario seed
   * @param resting resting values by vital name; absent ones are drawn from the seed
   */
  public record Patient(String id, Long seed, Map<String, Double> resting, List<Device> devices) {
    public Patient {
      require(id != null && !id.isBlank(), "patients: every patient needs an id");
      resting = resting == null ? Map.of() : Map.copyOf(resting);
      for (var value : resting.entrySet()) {
        Optional<Vital> vital = Vital.byName(value.getKey());
        require(
            vital.isPresent(),
            "patient "
                + id
                + ": resting."
                + value.getKey()
                + ": no such vital; known: "
                + Vital.names());
        require(
            value.getValue() != null
                && value.getValue() >= vital.get().min()
                && value.getValue() <= vital.get().max(),
            "patient "
                + id
                + ": resting."
                + value.getKey()
                + ": must be between "
                + vital.get().min()
                + " and "
                + vital.get().max());
      }
      require(
          devices != null && !devices.isEmpty(),
          "patient " + id + ": devices: at least one is required");
      devices = List.copyOf(devices);
    }
  }

  /**
   * A device on a patient.
   *
   * @param deviceId which registered device plays it; absent: the next one of this kind the
   *     credentials file assigns to the patient
   * @param dispensing for a dispenser (and only for one): the doses it holds and how the patient
   *     takes them
   */
  public record Device(
      DeviceKind kind, Transport transport, String deviceId, Faults faults, Dispensing dispensing) {
    public Device {
      require(kind != null, "devices: every device needs a kind");
      transport = transport == null ? Transport.HTTP : transport;
      faults = faults == null ? Faults.NONE : faults;
      require(
          kind.dispenser() == (dispensing != null),
          kind.dispenser()
              ? "devices: a " + kind.type() + " needs \"dispensing\" (its times and compartment)"
              : "devices: only a dispenser has \"dispensing\"");
      require(
          !kind.dispenser() || transport != Transport.MLLP,
          "devices: a dispenser sends its events over http or mqtt, not mllp");
    }
  }

  /**
   * What a dispenser holds and how its patient takes it: a dose at each of {@code times} (in the
   * scenario's time zone) in {@code compartment}; each dose is late with probability {@code late}
   * (taken 75 to 180 minutes after its time), missed with probability {@code missed} (the dispenser
   * reports {@code dose-missed} two hours after its time), else on time (within 30 minutes of it).
   * Drawn from the seed, dose by dose, so a run repeats.
   */
  public record Dispensing(
      List<java.time.LocalTime> times, Integer compartment, Double late, Double missed) {
    public Dispensing {
      require(times != null && !times.isEmpty(), "dispensing: times: at least one time of day");
      times = times.stream().sorted().distinct().toList();
      compartment = compartment == null ? 1 : compartment;
      require(compartment >= 0 && compartment <= 1000, "dispensing: compartment: 0 to 1000");
      late = late == null ? 0.0 : late;
      missed = missed == null ? 0.0 : missed;
      require(
          late >= 0 && missed >= 0 && late + missed <= 1,
          "dispensing: late and missed are probabilities adding up to 1 at most");
    }
  }

  /**
   * An episode: from {@code onset} (after the scenario's start) its effects grow over {@code ramp}
   * to {@code severity} times their full size, and stop at {@code onset + duration}.
   */
  public record Episode(
      String id,
      EpisodeKind type,
      String patient,
      Duration onset,
      Duration duration,
      Duration ramp,
      Double severity) {
    public Episode {
      require(type != null, "episodes: every episode needs a type");
      require(patient != null, "episodes: every episode needs a patient");
      require(
          onset != null && !onset.isNegative(),
          "episode " + type.type() + " of " + patient + ": onset: is required, e.g. \"PT6H\"");
      require(
          duration != null && duration.isPositive(),
          "episode " + type.type() + " of " + patient + ": duration: must be positive");
      ramp = ramp == null ? min(duration.dividedBy(3), Duration.ofMinutes(30)) : ramp;
      require(
          !ramp.isNegative() && ramp.compareTo(duration) <= 0,
          "episode " + type.type() + " of " + patient + ": ramp: must be within its duration");
      severity = severity == null ? 1.0 : severity;
      require(
          severity > 0 && severity <= 2,
          "episode " + type.type() + " of " + patient + ": severity: must be in (0, 2]");
      id = id == null ? type.type() + "-" + patient + "-" + onset : id;
    }

    /** How strong the episode is {@code offset} after the scenario's start, 0 outside it. */
    double severityAt(Duration offset) {
      if (offset.compareTo(onset) < 0 || offset.compareTo(onset.plus(duration)) >= 0) {
        return 0;
      }
      if (ramp.isZero()) {
        return severity;
      }
      double progress = (double) offset.minus(onset).toMillis() / ramp.toMillis();
      return severity * Math.min(1, progress);
    }
  }

  /**
   * What goes wrong with a device. Probabilities are per message; absent fields take the
   * scenario's.
   *
   * @param duplicate a message sent twice
   * @param outOfOrder a message held back and sent after the next one
   * @param garbage an unreadable message sent before a real one (Vigil must refuse it with 400)
   * @param clockSkew how far the device's clock is off: added to every timestamp it sends
   * @param disconnects periods the device is off the network
   * @param probeOff periods the SpO2 probe is off the patient: the device says so with a {@code
   *     probe-off} event and, when it is back, {@code probe-on}; meanwhile its SpO2 readings are
   *     artefacts (a loose probe reads 65–85 %)
   */
  public record Faults(
      Double duplicate,
      Double outOfOrder,
      Double garbage,
      Duration clockSkew,
      List<Disconnect> disconnects,
      List<ProbeOff> probeOff) {

    static final Faults NONE = new Faults(null, null, null, null, null, null);

    /** These faults, each absent one taken from {@code defaults}. */
    Faults or(Faults defaults) {
      return new Faults(
          duplicate != null ? duplicate : defaults.duplicate,
          outOfOrder != null ? outOfOrder : defaults.outOfOrder,
          garbage != null ? garbage : defaults.garbage,
          clockSkew != null ? clockSkew : defaults.clockSkew,
          disconnects != null ? disconnects : defaults.disconnects,
          probeOff != null ? probeOff : defaults.probeOff);
    }

    double duplicateRate() {
      return duplicate == null ? 0 : duplicate;
    }

    double outOfOrderRate() {
      return outOfOrder == null ? 0 : outOfOrder;
    }

    double garbageRate() {
      return garbage == null ? 0 : garbage;
    }

    Duration skew() {
      return clockSkew == null ? Duration.ZERO : clockSkew;
    }

    List<Disconnect> outages() {
      return disconnects == null ? List.of() : disconnects;
    }

    List<ProbeOff> probeOffs() {
      return probeOff == null ? List.of() : probeOff;
    }

    void check(String where, Duration scenarioLength) {
      probability(where + ".duplicate", duplicate);
      probability(where + ".outOfOrder", outOfOrder);
      probability(where + ".garbage", garbage);
      checkProbeOffs(where, probeOffs(), scenarioLength);
      List<Disconnect> outages = outages();
      for (int i = 0; i < outages.size(); i++) {
        Disconnect d = outages.get(i);
        String at = where + ".disconnects[" + i + "]";
        require(d.at() != null && !d.at().isNegative(), at + ".at: is required, e.g. \"PT3H\"");
        require(
            d.duration() != null && d.duration().isPositive(), at + ".duration: must be positive");
        require(d.at().compareTo(scenarioLength) < 0, at + ".at: after the scenario's end");
        if (i > 0) {
          Disconnect before = outages.get(i - 1);
          require(
              d.at().compareTo(before.at().plus(before.duration())) >= 0,
              at + ".at: overlaps the disconnect before it");
        }
      }
    }

    private static void checkProbeOffs(String where, List<ProbeOff> periods, Duration length) {
      for (int i = 0; i < periods.size(); i++) {
        ProbeOff p = periods.get(i);
        String at = where + ".probeOff[" + i + "]";
        require(p.at() != null && !p.at().isNegative(), at + ".at: is required, e.g. \"PT3H\"");
        require(
            p.duration() != null && p.duration().isPositive(), at + ".duration: must be positive");
        require(p.at().compareTo(length) < 0, at + ".at: after the scenario's end");
        if (i > 0) {
          ProbeOff before = periods.get(i - 1);
          require(
              p.at().compareTo(before.at().plus(before.duration())) >= 0,
              at + ".at: overlaps the probe-off before it");
        }
      }
    }

    private static void probability(String where, Double p) {
      require(p == null || (p >= 0 && p <= 1), where + ": must be a probability, 0 to 1");
    }
  }

  /**
   * The device is off the network from {@code at} for {@code duration}; with {@code buffer} (the
   * default) it keeps its readings and sends them when it is back, as most devices do.
   */
  public record Disconnect(Duration at, Duration duration, Boolean buffer) {
    public Disconnect {
      buffer = buffer == null ? Boolean.TRUE : buffer;
    }
  }

  /** The device's SpO2 probe is off the patient from {@code at} for {@code duration}. */
  public record ProbeOff(Duration at, Duration duration) {}

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException(Objects.requireNonNull(problem));
    }
  }
}
