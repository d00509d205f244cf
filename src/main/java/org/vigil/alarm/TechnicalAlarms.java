package org.vigil.alarm;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vigil.analytics.SignalQuality;
import org.vigil.device.Device;
import org.vigil.device.DeviceHealth;
import org.vigil.device.DeviceHealthProperties;
import org.vigil.device.DeviceRegistry;
import org.vigil.device.DeviceStatus;
import org.vigil.ingest.DeviceEventListener;
import org.vigil.ingest.DeviceEvents;

/**
 * Technical alarms, kept apart from clinical ones (their conditions start {@code device-}): a
 * device serving a patient that has gone offline (it lost its MQTT connection, or sent nothing for
 * {@code vigil.devices.offline-after}), and one whose battery is low ({@code
 * vigil.devices.low-battery-percent}). Both are low priority: someone should look, nobody is in
 * danger from the alarm itself — though a patient whose monitor is offline is not being watched,
 * which is why NEWS2 then goes incomplete instead of staying normal. A device never heard from
 * since it was assigned raises nothing.
 *
 * <p>A device also says, with an event ({@code devices/{id}/events}), that its probe is off the
 * patient ({@code probe-off}, until {@code probe-on}) or that it has lost its signal ({@code
 * signal-loss}, until {@code signal-restored}). Those are medium priority: while they last the
 * device's readings are kept out of NEWS2, the limits and the trends ({@link SignalQuality}), so
 * the patient is in effect not monitored for what it measures, and a nurse should put it right
 * soon. That suppression is what stops a slipping oximeter from sounding as a desaturation.
 */
@Component
class TechnicalAlarms implements DeviceEventListener, SignalQuality {

  static final String OFFLINE = "device-offline:";
  static final String BATTERY_LOW = "device-battery-low:";
  static final String PROBE_OFF = "device-probe-off:";
  static final String SIGNAL_LOSS = "device-signal-loss:";

  /** The device event types that begin and end each unreliable state. */
  private static final Map<String, String> BEGINS =
      Map.of("probe-off", PROBE_OFF, "signal-loss", SIGNAL_LOSS);

  private static final Map<String, String> ENDS =
      Map.of("probe-on", PROBE_OFF, "signal-restored", SIGNAL_LOSS);

  private static final Logger log = LoggerFactory.getLogger(TechnicalAlarms.class);

  private final DeviceRegistry devices;
  private final DeviceHealth health;
  private final DeviceHealthProperties thresholds;
  private final Alarms alarms;

  /** Devices whose readings are unreliable now: the conditions that make them so. */
  private final Map<String, Set<String>> unreliable = new ConcurrentHashMap<>();

  /** Whether {@link #unreliable} holds what the open alarms say, after a restart. */
  private volatile boolean restored;

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

  @Override
  public void eventRecorded(DeviceEvents.DeviceEvent event) {
    String begins = BEGINS.get(event.type());
    String ends = ENDS.get(event.type());
    if (begins == null && ends == null) {
      return;
    }
    restore();
    String device = event.deviceId();
    if (begins != null) {
      unreliable.computeIfAbsent(device, d -> ConcurrentHashMap.newKeySet()).add(begins);
      if (event.patientId() != null) {
        alarms.raise(
            event.patientId(),
            begins + device,
            AlarmPriority.MEDIUM,
            name(device)
                + (begins.equals(PROBE_OFF) ? ": probe off the patient" : ": signal lost")
                + "; its readings are not scored or judged against limits until it is back");
      }
      return;
    }
    unreliable.computeIfPresent(
        device,
        (d, states) -> {
          states.remove(ends);
          return states.isEmpty() ? null : states;
        });
    if (event.patientId() != null) {
      clearIfOpen(event.patientId(), ends + device);
    }
  }

  @Override
  public boolean unreliable(String deviceId) {
    restore();
    return unreliable.containsKey(deviceId);
  }

  /** After a restart the open probe-off and signal-loss alarms say which devices are unreliable. */
  private void restore() {
    if (restored) {
      return;
    }
    synchronized (unreliable) {
      if (restored) {
        return;
      }
      for (Alarm alarm : alarms.open(Optional.empty())) {
        for (String state : BEGINS.values()) {
          if (alarm.condition().startsWith(state)) {
            unreliable
                .computeIfAbsent(
                    alarm.condition().substring(state.length()), d -> ConcurrentHashMap.newKeySet())
                .add(state);
          }
        }
      }
      restored = true;
    }
  }

  private String name(String deviceId) {
    return devices
        .find(deviceId)
        .map(d -> d.displayName() + " (" + deviceId + ")")
        .orElse(deviceId);
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
