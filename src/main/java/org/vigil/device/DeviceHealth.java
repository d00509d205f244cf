package org.vigil.device;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Device health: last seen, connected, battery and signal. "Seen" is recorded on every message, so
 * it is kept in memory and written to the database every few seconds; connection changes and status
 * reports are written at once.
 */
@Service
public class DeviceHealth {

  private final JdbcTemplate jdbc;
  private final DeviceHealthProperties settings;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Tracked> devices = new ConcurrentHashMap<>();
  private final Map<String, Instant> unsavedSightings = new ConcurrentHashMap<>();

  public DeviceHealth(JdbcTemplate jdbc, DeviceHealthProperties settings, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.settings = settings;
    Gauge.builder("vigil.devices.online", this, h -> h.count(true, false))
        .description("Devices connected or heard from within the offline threshold")
        .register(meters);
    Gauge.builder("vigil.devices.battery.low", this, h -> h.count(false, true))
        .description("Devices whose last reported battery level is low")
        .register(meters);
  }

  /** What Vigil knows of one device; fields change independently, each under the lock. */
  private static final class Tracked {
    Optional<Boolean> connected;
    Optional<Instant> lastSeen;
    OptionalDouble battery;
    OptionalDouble signal;
    Optional<Instant> statusAt;

    Tracked(
        Optional<Boolean> connected,
        Optional<Instant> lastSeen,
        OptionalDouble battery,
        OptionalDouble signal,
        Optional<Instant> statusAt) {
      this.connected = connected;
      this.lastSeen = lastSeen;
      this.battery = battery;
      this.signal = signal;
      this.statusAt = statusAt;
    }

    synchronized void seen(Instant at) {
      if (lastSeen.isEmpty() || lastSeen.get().isBefore(at)) {
        lastSeen = Optional.of(at);
      }
    }

    synchronized DeviceStatus snapshot(String deviceId, Instant offlineBefore) {
      boolean online =
          connected.orElse(false)
              || (connected.isEmpty() && lastSeen.map(t -> t.isAfter(offlineBefore)).orElse(false));
      return new DeviceStatus(deviceId, online, connected, lastSeen, battery, signal, statusAt);
    }
  }

  /** Something arrived from the device. Cheap: called for every message. */
  public void seen(String deviceId, Instant at) {
    tracked(deviceId).seen(at);
    unsavedSightings.merge(deviceId, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** The device opened or lost its MQTT connection. */
  public void connected(String deviceId, boolean connected) {
    Tracked device = tracked(deviceId);
    synchronized (device) {
      device.connected = Optional.of(connected);
    }
    upsert(deviceId, "connected = ?", connected);
    if (connected) {
      seen(deviceId, clock.instant());
    }
  }

  /** The device reported its status (battery, signal, or that it is going offline). */
  public void reported(
      String deviceId,
      OptionalDouble batteryPercent,
      OptionalDouble signalDbm,
      Optional<Boolean> online,
      Instant at) {
    Tracked device = tracked(deviceId);
    Object[] values;
    synchronized (device) {
      if (batteryPercent.isPresent()) {
        device.battery = batteryPercent;
      }
      if (signalDbm.isPresent()) {
        device.signal = signalDbm;
      }
      if (online.isPresent()) {
        device.connected = online;
      }
      device.statusAt = Optional.of(at);
      values =
          new Object[] {
            device.battery.isPresent() ? device.battery.getAsDouble() : null,
            device.signal.isPresent() ? device.signal.getAsDouble() : null,
            device.connected.orElse(null),
            utc(at)
          };
    }
    upsert(deviceId, "battery_percent = ?, signal_dbm = ?, connected = ?, status_at = ?", values);
  }

  public DeviceStatus status(String deviceId) {
    return tracked(deviceId).snapshot(deviceId, offlineBefore());
  }

  @Scheduled(fixedDelayString = "PT5S")
  public void flush() {
    for (String deviceId : List.copyOf(unsavedSightings.keySet())) {
      Instant at = unsavedSightings.remove(deviceId);
      if (at != null) {
        upsert(deviceId, "last_seen = ?", utc(at));
      }
    }
  }

  private Instant offlineBefore() {
    return clock.instant().minus(settings.offlineAfter());
  }

  private long count(boolean online, boolean lowBattery) {
    Instant offlineBefore = offlineBefore();
    return devices.entrySet().stream()
        .map(e -> e.getValue().snapshot(e.getKey(), offlineBefore))
        .filter(s -> !online || s.online())
        .filter(s ->
            !lowBattery
                || (s.batteryPercent().isPresent()
                    && s.batteryPercent().getAsDouble() <= settings.lowBatteryPercent()))
        .count();
  }

  private Tracked tracked(String deviceId) {
    Tracked known = devices.get(deviceId);
    return known != null ? known : devices.computeIfAbsent(deviceId, this::load);
  }

  private Tracked load(String deviceId) {
    return jdbc
        .query(
            "select last_seen, connected, battery_percent, signal_dbm, status_at from device_status"
                + " where device_id = ?",
            (rs, row) -> {
              Object battery = rs.getObject("battery_percent");
              Object signal = rs.getObject("signal_dbm");
              return new Tracked(
                  Optional.ofNullable((Boolean) rs.getObject("connected")),
                  Optional.ofNullable(rs.getObject("last_seen", OffsetDateTime.class))
                      .map(OffsetDateTime::toInstant),
                  battery == null
                      ? OptionalDouble.empty()
                      : OptionalDouble.of(((Number) battery).doubleValue()),
                  signal == null
                      ? OptionalDouble.empty()
                      : OptionalDouble.of(((Number) signal).doubleValue()),
                  Optional.ofNullable(rs.getObject("status_at", OffsetDateTime.class))
                      .map(OffsetDateTime::toInstant));
            },
            deviceId)
        .stream()
        .findFirst()
        .orElseGet(() ->
            new Tracked(
                Optional.empty(),
                Optional.empty(),
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                Optional.empty()));
  }

  /** Update the row, or create it; the device row must exist (it is the foreign key). */
  private void upsert(String deviceId, String assignments, Object... values) {
    Object[] args = new Object[values.length + 1];
    System.arraycopy(values, 0, args, 0, values.length);
    args[values.length] = deviceId;
    String update = "update device_status set " + assignments + " where device_id = ?";
    if (jdbc.update(update, args) == 0) {
      jdbc.update(
          "insert into device_status (device_id) select id from device where id = ?"
              + " and not exists (select 1 from device_status where device_id = ?)",
          deviceId,
          deviceId);
      jdbc.update(update, args);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
