package org.vigil.medication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.testsupport.TestDatabase;

/**
 * Schedules, evidence, reminders and settings stored on every database Vigil supports (the V16
 * migration on H2 and on the real PostgreSQL): what is written reads back the same, a reminder is
 * recorded once per dose however often it is sent, and a patient's overrides fall back to the
 * defaults.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class MedicationRepositoriesIT {

  @Parameter TestDatabase database;

  private TestDatabase.Instance db;
  private JdbcTemplate jdbc;
  private MedicationSchedules schedules;
  private Intakes intakes;
  private MedicationReminders reminders;
  private MedicationSettings settings;

  private static final MedicationProperties DEFAULTS =
      new MedicationProperties(
          Duration.ofHours(1),
          Duration.ofHours(4),
          ZoneOffset.UTC,
          true,
          Duration.ofMinutes(15),
          2,
          0.8,
          Duration.ofDays(7),
          4,
          Duration.ofSeconds(30),
          List.of(),
          List.of(),
          Duration.ofSeconds(10),
          3);

  @BeforeEach
  void createDatabase() {
    db = database.create();
    jdbc = new JdbcTemplate(db.dataSource());
    jdbc.update(
        "insert into patient (id, mrn_index, created_at) values ('rep-1', 'rep-1-index', ?)",
        OffsetDateTime.now(ZoneOffset.UTC));
    // the alarms are touched only when a schedule stops, which these tests do not do
    schedules = new MedicationSchedules(jdbc, null);
    intakes = new Intakes(jdbc);
    reminders = new MedicationReminders(jdbc);
    settings =
        new MedicationSettings(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(db.dataSource())),
            DEFAULTS);
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  private static DoseSchedule metformin(String id) {
    return new DoseSchedule(
        id,
        "rep-1",
        "Metformin 500 mg",
        Optional.of(
            new DoseSchedule.Code(
                "http://www.nlm.nih.gov/research/umls/rxnorm", "861007", Optional.empty())),
        "active",
        List.of(LocalTime.of(20, 0), LocalTime.of(8, 0)),
        Set.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
        false,
        Optional.of(2),
        Optional.of("1 tablet"),
        Instant.parse("2026-03-02T00:00:00Z"),
        Optional.of(Instant.parse("2026-06-01T00:00:00Z")),
        "Practitioner/dr",
        1);
  }

  @Test
  void aScheduleReadsBackAsWrittenAndChangesWithItsVersion() {
    String id = MedicationSchedules.newId();
    DoseSchedule stored = schedules.create(metformin(id));
    assertThat(stored).isEqualTo(metformin(id));
    assertThat(schedules.inCompartment("rep-1", 2)).containsExactly(stored);
    assertThat(schedules.inCompartment("rep-1", 3)).isEmpty();
    DoseSchedule asNeeded =
        new DoseSchedule(
            id,
            "rep-1",
            "Metformin 500 mg",
            Optional.empty(),
            "active",
            List.of(),
            Set.of(),
            true,
            Optional.empty(),
            Optional.empty(),
            stored.start(),
            Optional.empty(),
            "Practitioner/dr2",
            1);
    DoseSchedule changed = schedules.update(asNeeded).orElseThrow();
    assertThat(changed.version()).isEqualTo(2);
    assertThat(changed.asNeeded()).isTrue();
    assertThat(changed.code()).isEmpty();
    assertThat(changed.end()).isEmpty();
    assertThat(schedules.ofPatient("rep-1")).containsExactly(changed);
    assertThat(schedules.active()).containsExactly(changed);
  }

  @Test
  void evidenceIsKeptInOrderAndAReminderOncePerDose() {
    String id = MedicationSchedules.newId();
    schedules.create(metformin(id));
    Instant at = Instant.parse("2026-03-02T08:05:00Z");
    Intake dispensed =
        intakes.record("rep-1", Optional.of(id), IntakeKind.DOSE_DISPENSED, at, "Device/d-1");
    Intake refill =
        intakes.record(
            "rep-1", Optional.empty(), IntakeKind.REFILL_NEEDED, at.plusSeconds(60), "Device/d-1");
    assertThat(intakes.find(dispensed.id()).orElseThrow().kind())
        .isEqualTo(IntakeKind.DOSE_DISPENSED);
    assertThat(intakes.ofPatient("rep-1", at, at.plusSeconds(61)))
        .extracting(Intake::id)
        .containsExactly(dispensed.id(), refill.id());
    assertThat(intakes.latestOfPatient("rep-1", 1))
        .extracting(Intake::id)
        .containsExactly(refill.id());

    Instant due = Instant.parse("2026-03-02T20:00:00Z");
    assertThat(reminders.send("rep-1", id, due)).isPresent();
    assertThat(reminders.send("rep-1", id, due)).isEmpty();
    List<MedicationReminders.Reminder> sent = reminders.ofPatient("rep-1", due.minusSeconds(1));
    assertThat(sent).hasSize(1);
    assertThat(reminders.dismiss("rep-1", sent.getFirst().id())).isTrue();
    assertThat(reminders.dismiss("rep-1", sent.getFirst().id())).isFalse();
  }

  @Test
  void aPatientsOwnSettingsOverTheDefaults() {
    assertThat(settings.of("rep-1").consecutiveMisses()).isEqualTo(2);
    settings.save(
        "rep-1",
        new PatientMedicationSettings(
            Optional.of(ZoneId.of("Europe/Oslo")),
            Optional.of(false),
            Optional.empty(),
            Optional.of(5),
            Optional.of(0.9),
            Optional.empty()),
        "nurse");
    PatientMedicationSettings.Effective effective = settings.of("rep-1");
    assertThat(effective.timeZone()).isEqualTo(ZoneId.of("Europe/Oslo"));
    assertThat(effective.reminders()).isFalse();
    assertThat(effective.reminderGrace()).isEqualTo(Duration.ofMinutes(15));
    assertThat(effective.consecutiveMisses()).isEqualTo(5);
    assertThat(effective.adherenceThreshold()).isEqualTo(0.9);
    assertThat(settings.overrides("rep-1").adherencePeriod()).isEmpty();
  }
}
