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

  private static final String COLUMNS =
      "id, type, display_name, manufacturer, model, serial_number, udi, type_system, type_code,"
          + " type_display, mapping_template, created_at, revoked_at";

  private final JdbcTemplate jdbc;

  JdbcDeviceRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void register(Device device, String tokenHash) {
    DeviceDetails d = device.details();
    jdbc.update(
        "insert into device (id, type, display_name, manufacturer, model, serial_number, udi,"
            + " type_system, type_code, type_display, mapping_template, created_at, revoked_at,"
            + " token_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        device.id(),
        device.type(),
        device.displayName(),
        d.manufacturer().orElse(null),
        d.model().orElse(null),
        d.serialNumber().orElse(null),
        d.udi().orElse(null),
        d.typeCode().map(DeviceDetails.DeviceTypeCode::system).orElse(null),
        d.typeCode().map(DeviceDetails.DeviceTypeCode::code).orElse(null),
        d.typeCode().map(DeviceDetails.DeviceTypeCode::display).orElse(null),
        d.template().orElse(null),
        utc(device.createdAt()),
        device.revokedAt().map(JdbcDeviceRepository::utc).orElse(null),
        tokenHash);
  }

  @Override
  public void update(Device device) {
    DeviceDetails d = device.details();
    int updated =
        jdbc.update(
            "update device set type = ?, display_name = ?, manufacturer = ?, model = ?,"
                + " serial_number = ?, udi = ?, type_system = ?, type_code = ?, type_display = ?,"
                + " mapping_template = ? where id = ?",
            device.type(),
            device.displayName(),
            d.manufacturer().orElse(null),
            d.model().orElse(null),
            d.serialNumber().orElse(null),
            d.udi().orElse(null),
            d.typeCode().map(DeviceDetails.DeviceTypeCode::system).orElse(null),
            d.typeCode().map(DeviceDetails.DeviceTypeCode::code).orElse(null),
            d.typeCode().map(DeviceDetails.DeviceTypeCode::display).orElse(null),
            d.template().orElse(null),
            device.id());
    if (updated == 0) {
      throw new IllegalArgumentException("no device " + device.id());
    }
  }

  @Override
  public Optional<Device> find(String deviceId) {
    return jdbc
        .query(
            "select " + COLUMNS + " from device where id = ?",
            JdbcDeviceRepository::device,
            deviceId)
        .stream()
        .findFirst();
  }

  @Override
  public List<Device> findAll() {
    return jdbc.query(
        "select " + COLUMNS + " from device order by id", JdbcDeviceRepository::device);
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
    unassign(deviceId, at);
    jdbc.update(
        "insert into device_assignment (device_id, patient_id, start_at) values (?, ?, ?)",
        deviceId,
        patientId,
        utc(at));
  }

  @Override
  public void unassign(String deviceId, Instant at) {
    jdbc.update(
        "update device_assignment set end_at = ? where device_id = ? and end_at is null",
        utc(at),
        deviceId);
  }

  @Override
  public List<DeviceAssignment> assignments(String deviceId) {
    return jdbc.query(
        "select device_id, patient_id, start_at, end_at from device_assignment"
            + " where device_id = ? order by start_at, id",
        (rs, row) ->
            new DeviceAssignment(
                rs.getString("device_id"),
                rs.getString("patient_id"),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(rs.getObject("end_at", OffsetDateTime.class))
                    .map(OffsetDateTime::toInstant)),
        deviceId);
  }

  @Override
  public List<String> devicesOf(String patientId) {
    return jdbc.queryForList(
        "select device_id from device_assignment where patient_id = ? and end_at is null"
            + " order by device_id",
        String.class,
        patientId);
  }

  private static Device device(ResultSet rs, int row) throws SQLException {
    OffsetDateTime revoked = rs.getObject("revoked_at", OffsetDateTime.class);
    String typeSystem = rs.getString("type_system");
    Optional<DeviceDetails.DeviceTypeCode> typeCode =
        typeSystem == null
            ? Optional.empty()
            : Optional.of(
                new DeviceDetails.DeviceTypeCode(
                    typeSystem, rs.getString("type_code"), rs.getString("type_display")));
    return new Device(
        rs.getString("id"),
        rs.getString("type"),
        rs.getString("display_name"),
        new DeviceDetails(
            Optional.ofNullable(rs.getString("manufacturer")),
            Optional.ofNullable(rs.getString("model")),
            Optional.ofNullable(rs.getString("serial_number")),
            Optional.ofNullable(rs.getString("udi")),
            typeCode,
            Optional.ofNullable(rs.getString("mapping_template"))),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(revoked).map(OffsetDateTime::toInstant));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
