package org.vigil.alarm;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vigil.device.Device;
import org.vigil.device.DeviceHealth;
import org.vigil.device.DeviceHealthProperties;
import org.vigil.device.DeviceRegistry;
import org.vigil.device.DeviceStatus;

/**
 * Technical alarms, kept apart from clinical ones (their conditions start {@code device-}): a
 * device serving a patient that has gone offline (it lost its MQTT connection, or sent nothing for
 * {@code vigil.devices.offline-after}), and one whose battery is low ({@code
 * vigil.devices.low-battery-percent}). Both are low priority: someone should look, nobody is in
 * danger from the alarm itself — though a patient whose monitor is offline is not being watched,
 * which is why NEWS2 then goes incomplete instead of staying normal. A device never heard from
 * since it was assigned raises nothing.
 */
@Component
class TechnicalAlarms {

  static final String OFFLINE = "device-offline:";
  static final String BATTERY_LOW = "device-battery-low:";

  private static final Logger log = LoggerFactory.getLogger(TechnicalAlarms.class);

  private final DeviceRegistry devices;
  private final DeviceHealth health;
  private final DeviceHealthProperties thresholds;
  private final Alarms alarms;

  TechnicalAlarms(
      DeviceRegistry devices,
      DeviceHealth health,
      DeviceHealthProperties thresholds,
      Alarms alarms) {
    this.devices = devices;
    this.health = health;
    this.thresholds = thresholds;
    this.alarms = alarms;
  }

  /** Whether an alarm's condition is a technical one. */
  static boolean isTechnical(String condition) {
    return condition.startsWith("device-");
  }

  @Scheduled(fixedDelayString = "${vigil.alarms.clear-check-interval:PT5S}")
  void check() {
    for (Device device : devices.all()) {
      if (device.revokedAt().isPresent()) {
        continue;
      }
      Optional<String> patient = devices.currentPatient(device.id());
      if (patient.isEmpty()) {
        continue;
      }
      try {
        check(device, patient.get(), health.status(device.id()));
      } catch (RuntimeException e) {
        log.warn("Could not check a device's health for technical alarms: {}", e.toString());
      }
    }
  }

  private void check(Device device, String patientId, DeviceStatus status) {
    String name = device.displayName() + " (" + device.id() + ")";
    if (status.lastSeen().isPresent() || status.connected().isPresent()) {
      if (status.online()) {
        clearIfOpen(patientId, OFFLINE + device.id());
      } else {
        alarms.raise(
            patientId,
            OFFLINE + device.id(),
            AlarmPriority.LOW,
            name + " is offline" + status.lastSeen().map(t -> ", last heard from " + t).orElse(""));
      }
    }
    if (status.batteryPercent().isPresent()) {
      double battery = status.batteryPercent().getAsDouble();
      if (battery <= thresholds.lowBatteryPercent()) {
        alarms.raise(
            patientId,
            BATTERY_LOW + device.id(),
            AlarmPriority.LOW,
            name + " battery at " + Math.round(battery) + " %");
      } else {
        clearIfOpen(patientId, BATTERY_LOW + device.id());
      }
    }
  }

  private void clearIfOpen(String patientId, String condition) {
    if (alarms.isOpen(patientId, condition)) {
      alarms.conditionCleared(patientId, condition);
    }
  }
}
