package org.vigil.telemedicine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.vigil.device.DeviceCommandChannel;
import org.vigil.device.DeviceHealth;
import org.vigil.device.DeviceRegistry;

/**
 * "Take a reading now", asked by the clinician during a visit. A device that is connected over MQTT
 * right now is sent {@code measure-now} on {@code devices/{id}/commands/measure-now} — Vigil knows
 * no more of a device's abilities than that it listens there, and one that is not connected would
 * take the command only when the visit may be over. Without such a device the patient's portal asks
 * the patient to take the reading themselves. Either way the reading arrives like any other, and
 * both sides of the visit see it come in.
 */
@Service
class ReadingRequests {

  static final String COMMAND = "measure-now";

  /** How it was asked: {@code device} (that many commands sent) or {@code portal}. */
  record Asked(String via, int devices) {}

  private final DeviceRegistry devices;
  private final DeviceHealth health;
  private final ObjectProvider<DeviceCommandChannel> commands;
  private final VisitNotices notices;

  ReadingRequests(
      DeviceRegistry devices,
      DeviceHealth health,
      ObjectProvider<DeviceCommandChannel> commands,
      VisitNotices notices) {
    this.devices = devices;
    this.health = health;
    this.commands = commands;
    this.notices = notices;
  }

  Asked ask(Appointment appointment) {
    Optional<DeviceCommandChannel> channel = Optional.ofNullable(commands.getIfAvailable());
    List<String> listening =
        channel.isEmpty()
            ? List.of()
            : devices.devicesOf(appointment.patientId()).stream()
                .filter(id -> health.status(id).connected().orElse(false))
                .toList();
    if (listening.isEmpty()) {
      notices.tell(appointment, "take-reading");
      return new Asked("portal", 0);
    }
    byte[] body =
        ("{\"reason\":\"video visit\",\"appointment\":\"" + appointment.id() + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    for (String id : listening) {
      channel.get().send(id, COMMAND, body);
    }
    return new Asked("device", listening.size());
  }
}
