package org.vigil.device;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
class JdbcDeviceRepository implements DeviceRepository {

  private final JdbcTemplate jdbc;

  JdbcDeviceRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void register(Device device, String tokenHash) {
    jdbc.update(
        "insert into device (id, type, display_name, token_hash, created_at, revoked_at)"
            + " values (?, ?, ?, ?, ?, ?)",
        device.id(),
        device.type(),
        device.displayName(),
        tokenHash,
        utc(device.createdAt()),
        device.revokedAt().map(JdbcDeviceRepository::utc).orElse(null));
  }

  @Override
  public Optional<Device> find(String deviceId) {
    return jdbc
        .query(
            "select id, type, display_name, created_at, revoked_at from device where id = ?",
            JdbcDeviceRepository::device,
            deviceId)
        .stream()
        .findFirst();
  }

  @Override
  public List<Device> findAll() {
    return jdbc.query(
        "select id, type, display_name, created_at, revoked_at from device order by id",
        JdbcDeviceRepository::device);
  }

  @Override
  public Optional<String> activeTokenHash(String deviceId) {
    return jdbc
        .queryForList(
            "select token_hash from device where id = ? and revoked_at is null",
            String.class,
            deviceId)
        .stream()
        .findFirst();
  }

  @Override
  public void replaceTokenHash(String deviceId, String tokenHash) {
    int updated =
        jdbc.update(
            "update device set token_hash = ?, revoked_at = null where id = ?",
            tokenHash,
            deviceId);
    if (updated == 0) {
      throw new IllegalArgumentException("no device " + deviceId);
    }
  }

  @Override
  public void revoke(String deviceId, Instant at) {
    int updated =
        jdbc.update(
            "update device set revoked_at = ? where id = ? and revoked_at is null",
            utc(at),
            deviceId);
    if (updated == 0 && find(deviceId).isEmpty()) {
      throw new IllegalArgumentException("no device " + deviceId);
    }
  }

  @Override
  @Transactional
  public void assign(String deviceId, String patientId, Instant at) {
    jdbc.update(
        "update device_assignment set end_at = ? where device_id = ? and end_at is null",
        utc(at),
        deviceId);
    jdbc.update(
        "insert into device_assignment (device_id, patient_id, start_at) values (?, ?, ?)",
        deviceId,
        patientId,
        utc(at));
  }

  @Override
  public Optional<String> currentPatient(String deviceId) {
    return jdbc
        .queryForList(
            "select patient_id from device_assignment where device_id = ? and end_at is null"
                + " order by start_at desc",
            String.class,
            deviceId)
        .stream()
        .findFirst();
  }

  private static Device device(ResultSet rs, int row) throws SQLException {
    OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
    return new Device(
        rs.getString("id"),
        rs.getString("type"),
        rs.getString("display_name"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(revoked).map(OffsetDateTime::toInstant));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
