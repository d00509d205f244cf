package org.vigil.simulate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A scenario's device bound to a registered device: who it is, how it talks, what goes wrong. */
record PlayedDevice(SimulatedDevice device, Transport transport, Scenario.Faults faults) {

  String id() {
    return device.deviceId();
  }

  /**
   * Binds every device of the scenario to a registered one from the credentials: the one it names,
   * or the next one of its kind assigned to its patient.
   *
   * @param override plays every device over this transport instead of the scenario's
   * @throws IllegalArgumentException naming each device the credentials do not provide
   */
  static List<PlayedDevice> bind(
      Scenario scenario, List<CredentialsFile.Entry> credentials, Optional<Transport> override) {
    Set<String> used = new LinkedHashSet<>();
    List<PlayedDevice> bound = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Scenario.Patient patient : scenario.patients()) {
      for (Scenario.Device spec : patient.devices()) {
        Optional<CredentialsFile.Entry> entry =
            credentials.stream()
                .filter(c -> !used.contains(c.deviceId()))
                .filter(c ->
                    spec.deviceId() != null
                        ? c.deviceId().equals(spec.deviceId())
                        : c.patientId().equals(patient.id())
                            && (c.type() == null || c.type().equals(spec.kind().type())))
                .findFirst();
        if (entry.isEmpty()) {
          missing.add(
              spec.deviceId() != null
                  ? "device " + spec.deviceId() + " of " + patient.id()
                  : patient.id() + "'s " + spec.kind().type());
          continue;
        }
        CredentialsFile.Entry e = entry.get();
        if (!e.patientId().equals(patient.id())) {
          throw new IllegalArgumentException(
              "device "
                  + e.deviceId()
                  + " is assigned to "
                  + e.patientId()
                  + " in the credentials, but the scenario puts it on "
                  + patient.id());
        }
        used.add(e.deviceId());
        bound.add(
            new PlayedDevice(
                new SimulatedDevice(e.deviceId(), e.token(), e.patientId(), spec.kind()),
                override.orElse(spec.transport()),
                spec.faults().or(scenario.faults())));
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "the credentials file has no device for "
              + String.join(", ", missing)
              + " (register them with './vigil devices register … --patient …' and list them"
              + " there)");
    }
    return List.copyOf(bound);
  }
}
