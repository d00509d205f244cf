package org.vigil.alarm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * A spell of unreliable readings: from when the device said its probe came off (or its signal was
   * lost) until it said it was back, if it has.
   */
  private record Spell(String state, Instant from, Optional<Instant> until) {
    boolean covers(Instant at) {
      return !at.isBefore(from) && until.map(at::isBefore).orElse(true);
    }
  }

  /** How many ended spells are kept per device, to judge readings that arrive late. */
  private static final int KEPT_SPELLS = 16;

  /** Each device's recent spells of unreliable readings, oldest first. */
  private final Map<String, List<Spell>> spells = new ConcurrentHashMap<>();

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
  public void stored(DeviceEvents.DeviceEvent event) {
    String begins = BEGINS.get(event.type());
    String ends = ENDS.get(event.type());
    if (begins == null && ends == null) {
      return;
    }
    restore();
    String device = event.deviceId();
    // to the millisecond, as readings are stored: a reading stamped the instant the probe is back
    // is a good one
    Instant at = event.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    if (begins != null) {
      spells.compute(
          device,
          (d, known) -> {
            List<Spell> now = new ArrayList<>(known == null ? List.of() : known);
            if (now.stream().noneMatch(s -> s.state().equals(begins) && s.until().isEmpty())) {
              now.add(new Spell(begins, at, Optional.empty()));
            }
            return List.copyOf(now.subList(Math.max(0, now.size() - KEPT_SPELLS), now.size()));
          });
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
    spells.computeIfPresent(
        device,
        (d, known) ->
            known.stream()
                .map(s ->
                    s.state().equals(ends) && s.until().isEmpty()
                        ? new Spell(s.state(), s.from(), Optional.of(at))
                        : s)
                .toList());
    if (event.patientId() != null) {
      clearIfOpen(event.patientId(), ends + device);
    }
  }

  @Override
  public boolean unreliable(String deviceId, Instant takenAt) {
    restore();
    List<Spell> known = spells.get(deviceId);
    return known != null && known.stream().anyMatch(s -> s.covers(takenAt));
  }

  /**
   * After a restart the open probe-off and signal-loss alarms say which devices are unreliable,
   * from when each alarm was raised (the event's own time is not kept with it).
   */
  private void restore() {
    if (restored) {
      return;
    }
    synchronized (spells) {
      if (restored) {
        return;
      }
      for (Alarm alarm : alarms.open(Optional.empty())) {
        for (String state : BEGINS.values()) {
          if (alarm.condition().startsWith(state)) {
            spells.merge(
                alarm.condition().substring(state.length()),
                List.of(new Spell(state, alarm.raisedAt(), Optional.empty())),
                (a, b) -> {
                  List<Spell> both = new ArrayList<>(a);
                  both.addAll(b);
                  return List.copyOf(both);
                });
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
