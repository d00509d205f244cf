package org.vigil.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.testsupport.TestDatabase;

/** The device repository's contract, on every database Vigil supports. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class JdbcDeviceRepositoryIT {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  @Parameter TestDatabase database;

  private TestDatabase.Instance db;
  private DeviceRepository devices;

  @BeforeEach
  void createDatabase() {
    db = database.create();
    JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
    devices = new JdbcDeviceRepository(jdbc);
    for (String patient : new String[] {"p1", "p2"}) {
      jdbc.update(
          "insert into patient (id, mrn, family_name, given_name, birth_date, gender, created_at)"
              + " values (?, ?, 'Test', 'Pat', ?, 'unknown', ?)",
          patient,
          "mrn-" + patient,
          java.sql.Date.valueOf(LocalDate.of(1950, 1, 1)),
          java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z"));
    }
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  private Device device(String id) {
    return new Device(id, "bedside-monitor", "Bed 1 monitor", T0);
  }

  @Test
  void registersAndFindsADevice() {
    devices.register(device("monitor-1"), "ab".repeat(32));

    assertThat(devices.find("monitor-1")).contains(device("monitor-1"));
    assertThat(devices.find("monitor-2")).isEmpty();
    assertThat(devices.findAll()).extracting(Device::id).containsExactly("monitor-1");
    assertThat(devices.activeTokenHash("monitor-1")).contains("ab".repeat(32));
  }

  @Test
  void revokedDevicesHaveNoActiveToken() {
    devices.register(device("monitor-1"), "ab".repeat(32));
    devices.revoke("monitor-1", T0.plusSeconds(60));

    assertThat(devices.activeTokenHash("monitor-1")).isEmpty();
    assertThat(devices.find("monitor-1").orElseThrow().revokedAt()).contains(T0.plusSeconds(60));

    devices.replaceTokenHash("monitor-1", "cd".repeat(32));
    assertThat(devices.activeTokenHash("monitor-1")).contains("cd".repeat(32));
  }

  @Test
  void keepsEveryDetailOfADevice() {
    Device described =
        new Device(
            "oximeter-7",
            "pulse-oximeter",
            "Ward 7B oximeter",
            new DeviceDetails(
                Optional.of("Acme Medical"),
                Optional.of("OX-200"),
                Optional.of("SN-4471"),
                Optional.of("(01)00844588003288(21)4471"),
                Optional.of(
                    new DeviceDetails.DeviceTypeCode(
                        "http://snomed.info/sct", "448703006", "Pulse oximeter")),
                Optional.of("acme-oximeter")),
            T0,
            Optional.empty());
    devices.register(described, "ab".repeat(32));
    assertThat(devices.find("oximeter-7")).contains(described);

    Device renamed =
        new Device(
            "oximeter-7",
            "pulse-oximeter",
            "Bed 4 oximeter",
            DeviceDetails.NONE,
            T0,
            Optional.empty());
    devices.update(renamed);
    assertThat(devices.find("oximeter-7")).contains(renamed);
  }

  @Test
  void aDeviceServesOnePatientAtATime() {
    devices.register(device("monitor-1"), "ab".repeat(32));
    assertThat(devices.assignments("monitor-1")).isEmpty();

    devices.assign("monitor-1", "p1", T0);
    devices.assign("monitor-1", "p2", T0.plusSeconds(3600));
    assertThat(devices.assignments("monitor-1"))
        .containsExactly(
            new DeviceAssignment("monitor-1", "p1", T0, Optional.of(T0.plusSeconds(3600))),
            new DeviceAssignment("monitor-1", "p2", T0.plusSeconds(3600), Optional.empty()));
    assertThat(devices.devicesOf("p2")).containsExactly("monitor-1");
    assertThat(devices.devicesOf("p1")).isEmpty();

    devices.unassign("monitor-1", T0.plusSeconds(7200));
    assertThat(devices.assignments("monitor-1").getLast().end()).contains(T0.plusSeconds(7200));
    assertThat(devices.devicesOf("p2")).isEmpty();
  }
}
