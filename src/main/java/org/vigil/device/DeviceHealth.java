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
  private final Clock clock;
  private final Map<String, Instant> unsavedSightings = new ConcurrentHashMap<>();
  private final Map<String, DeviceStatus> known = new ConcurrentHashMap<>();

  public DeviceHealth(JdbcTemplate jdbc, DeviceHealthProperties settings, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.settings = settings;
    this.clock = Clock.systemUTC();
    Gauge.builder("vigil.devices.online", this, h -> h.count(true, false))
        .description("Devices connected or heard from within the offline threshold")
        .register(meters);
    Gauge.builder("vigil.devices.battery.low", this, h -> h.count(false, true))
        .description("Devices whose last reported battery level is low")
        .register(meters);
  }

  /** Something arrived from the device. Cheap: called for every message. */
  public void seen(String deviceId, Instant at) {
    unsavedSightings.merge(deviceId, at, (a, b) -> a.isAfter(b) ? a : b);
    known.compute(
        deviceId,
        (id, s) -> {
          DeviceStatus current = s != null ? s : load(id);
          Instant last = current.lastSeen().filter(previous -> previous.isAfter(at)).orElse(at);
          return with(
              current,
              current.connected(),
              Optional.of(last),
              current.batteryPercent(),
              current.signalDbm(),
              current.statusAt());
        });
  }

  /** The device opened or lost its MQTT connection. */
  public void connected(String deviceId, boolean connected) {
    Instant now = clock.instant();
    known.compute(
        deviceId,
        (id, s) -> {
          DeviceStatus current = s != null ? s : load(id);
          return with(
              current,
              Optional.of(connected),
              current.lastSeen(),
              current.batteryPercent(),
              current.signalDbm(),
              current.statusAt());
        });
    upsert(deviceId, "connected = ?", connected);
    if (connected) {
      seen(deviceId, now);
    }
  }

  /** The device reported its status (battery, signal, or that it is going offline). */
  public void reported(
      String deviceId,
      OptionalDouble batteryPercent,
      OptionalDouble signalDbm,
      Optional<Boolean> online,
      Instant at) {
    known.compute(
        deviceId,
        (id, s) -> {
          DeviceStatus current = s != null ? s : load(id);
          return with(
              current,
              online.isPresent() ? online : current.connected(),
              current.lastSeen(),
              batteryPercent.isPresent() ? batteryPercent : current.batteryPercent(),
              signalDbm.isPresent() ? signalDbm : current.signalDbm(),
              Optional.of(at));
        });
    DeviceStatus now = known.get(deviceId);
    upsert(
        deviceId,
        "battery_percent = ?, signal_dbm = ?, connected = ?, status_at = ?",
        now.batteryPercent().isPresent() ? now.batteryPercent().getAsDouble() : null,
        now.signalDbm().isPresent() ? now.signalDbm().getAsDouble() : null,
        now.connected().orElse(null),
        utc(at));
  }

  public DeviceStatus status(String deviceId) {
    DeviceStatus status = known.computeIfAbsent(deviceId, this::load);
    return with(
        status,
        status.connected(),
        status.lastSeen(),
        status.batteryPercent(),
        status.signalDbm(),
        status.statusAt());
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

  private long count(boolean online, boolean lowBattery) {
    return known.values().stream()
        .map(s ->
            with(s, s.connected(), s.lastSeen(), s.batteryPercent(), s.signalDbm(), s.statusAt()))
        .filter(s -> !online || s.online())
        .filter(s ->
            !lowBattery
                || (s.batteryPercent().isPresent()
                    && s.batteryPercent().getAsDouble() <= settings.lowBatteryPercent()))
        .count();
  }

  /** Recomputes "online" from the facts: connected now, or heard from recently. */
  private DeviceStatus with(
      DeviceStatus base,
      Optional<Boolean> connected,
      Optional<Instant> lastSeen,
      OptionalDouble battery,
      OptionalDouble signal,
      Optional<Instant> statusAt) {
    Instant threshold = clock.instant().minus(settings.offlineAfter());
    boolean online =
        connected.orElse(false)
            || (connected.isEmpty() && lastSeen.map(t -> t.isAfter(threshold)).orElse(false));
    return new DeviceStatus(
        base.deviceId(), online, connected, lastSeen, battery, signal, statusAt);
  }

  private DeviceStatus load(String deviceId) {
    return jdbc
        .query(
            "select last_seen, connected, battery_percent, signal_dbm, status_at from device_status"
                + " where device_id = ?",
            (rs, row) -> {
              Object connected = rs.getObject("connected");
              Object battery = rs.getObject("battery_percent");
              Object signal = rs.getObject("signal_dbm");
              return new DeviceStatus(
                  deviceId,
                  false,
                  Optional.ofNullable((Boolean) connected),
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
        .orElse(
            new DeviceStatus(
                deviceId,
                false,
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
    int updated =
        jdbc.update("update device_status set " + assignments + " where device_id = ?", args);
    if (updated == 0) {
      jdbc.update(
          "insert into device_status (device_id) select id from device where id = ?"
              + " and not exists (select 1 from device_status where device_id = ?)",
          deviceId,
          deviceId);
      jdbc.update("update device_status set " + assignments + " where device_id = ?", args);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
