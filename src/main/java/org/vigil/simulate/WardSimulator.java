package org.vigil.simulate;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's ward: its devices play the simulator's physiology at real speed, without end, over
 * Vigil's HTTP ingest API, as real devices would — one message per device per second with that
 * second's readings, authenticated with the device's own token. It never calls Vigil's code
 * directly, so it can drive any Vigil, local or remote.
 */
public final class WardSimulator implements AutoCloseable {

  /** Long enough to outlast any demo. */
  private static final Duration ENDLESS = Duration.ofDays(3650);

  private final Simulation simulation;

  /**
   * @param target the Vigil's base URL, e.g. {@code http://localhost:8080}
   * @param devices the devices to play
   * @param seed makes every patient's physiology reproducible
   */
  public WardSimulator(URI target, List<SimulatedDevice> devices, long seed, Clock clock) {
    Map<String, List<Scenario.Device>> byPatient = new LinkedHashMap<>();
    List<PlayedDevice> played = new ArrayList<>();
    for (SimulatedDevice device : devices) {
      Scenario.Device spec =
          new Scenario.Device(device.kind(), Transport.HTTP, device.deviceId(), null, null);
      byPatient.computeIfAbsent(device.patientId(), p -> new ArrayList<>()).add(spec);
      played.add(new PlayedDevice(device, Transport.HTTP, Scenario.Faults.NONE));
    }
    List<Scenario.Patient> patients = new ArrayList<>();
    byPatient.forEach((id, specs) -> patients.add(new Scenario.Patient(id, null, null, specs)));
    Scenario ward =
        new Scenario("demo ward", null, ENDLESS, seed, null, null, null, patients, null);
    this.simulation =
        new Simulation(
            ward,
            played,
            new Simulation.Settings(
                clock.instant().truncatedTo(ChronoUnit.SECONDS),
                1,
                Optional.empty(),
                Map.of(),
                1000,
                64),
            Map.of(Transport.HTTP, new HttpSender(target)));
  }

  /** Starts sending, one message per device per second, until closed. */
  public void start() {
    simulation.start();
  }

  /** What was sent so far and how Vigil answered. */
  public Summary stats() {
    return simulation.summary();
  }

  @Override
  public void close() {
    simulation.close();
  }
}
