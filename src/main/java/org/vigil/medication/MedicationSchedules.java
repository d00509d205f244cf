package org.vigil.medication;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.vigil.alarm.Alarms;

/** The medicines prescribed for patients at home, as stored. */
@Service
public class MedicationSchedules {

  private static final String COLUMNS =
      "id, patient_id, medication_text, medication_system, medication_code, medication_display,"
          + " status, times_of_day, days_of_week, as_needed, compartment, dose_text, start_at,"
          + " end_at, requester, version";

  private final JdbcTemplate jdbc;
  private final Alarms alarms;
  private final Clock clock = Clock.systemUTC();

  MedicationSchedules(JdbcTemplate jdbc, Alarms alarms) {
    this.jdbc = jdbc;
    this.alarms = alarms;
  }

  /** A fresh id for a new schedule. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Stores a new schedule (version 1). */
  public DoseSchedule create(DoseSchedule schedule) {
    Instant now = clock.instant();
    jdbc.update(
        "insert into medication_request (id, patient_id, medication_text, medication_system,"
            + " medication_code, medication_display, status, times_of_day, days_of_week,"
            + " as_needed, compartment, dose_text, start_at, end_at, requester, created_at,"
            + " updated_at, version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        schedule.id(),
        schedule.patientId(),
        schedule.medication(),
        schedule.code().map(DoseSchedule.Code::system).orElse(null),
        schedule.code().map(DoseSchedule.Code::code).orElse(null),
        schedule.code().flatMap(DoseSchedule.Code::display).orElse(null),
        schedule.status(),
        times(schedule),
        days(schedule),
        schedule.asNeeded(),
        schedule.compartment().orElse(null),
        schedule.doseText().orElse(null),
        utc(schedule.start()),
        schedule.end().map(MedicationSchedules::utc).orElse(null),
        schedule.requester(),
        utc(now),
        utc(now));
    return find(schedule.id()).orElseThrow();
  }

  /**
   * Replaces a schedule (the patient stays the same) and returns it with its new version; empty
   * when there is none of that id.
   */
  public Optional<DoseSchedule> update(DoseSchedule schedule) {
    int updated =
        jdbc.update(
            "update medication_request set medication_text = ?, medication_system = ?,"
                + " medication_code = ?, medication_display = ?, status = ?, times_of_day = ?,"
                + " days_of_week = ?, as_needed = ?, compartment = ?, dose_text = ?, start_at = ?,"
                + " end_at = ?, requester = ?, updated_at = ?, version = version + 1"
                + " where id = ? and patient_id = ?",
            schedule.medication(),
            schedule.code().map(DoseSchedule.Code::system).orElse(null),
            schedule.code().map(DoseSchedule.Code::code).orElse(null),
            schedule.code().flatMap(DoseSchedule.Code::display).orElse(null),
            schedule.status(),
            times(schedule),
            days(schedule),
            schedule.asNeeded(),
            schedule.compartment().orElse(null),
            schedule.doseText().orElse(null),
            utc(schedule.start()),
            schedule.end().map(MedicationSchedules::utc).orElse(null),
            schedule.requester(),
            utc(clock.instant()),
            schedule.id(),
            schedule.patientId());
    if (updated > 0 && !schedule.active()) {
      // a medicine stopped (or put on hold) is no longer watched: its alarms end with it
      alarms.conditionCleared(schedule.patientId(), MedicationWatch.MISSED + schedule.id());
      alarms.conditionCleared(schedule.patientId(), MedicationWatch.LOW_ADHERENCE + schedule.id());
    }
    return updated == 0 ? Optional.empty() : find(schedule.id());
  }

  public Optional<DoseSchedule> find(String id) {
    return jdbc
        .query("select " + COLUMNS + " from medication_request where id = ?", this::row, id)
        .stream()
        .findFirst();
  }

  /** A patient's schedules, oldest first. */
  public List<DoseSchedule> ofPatient(String patientId) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from medication_request where patient_id = ?"
            + " order by start_at, id",
        this::row,
        patientId);
  }

  /** Every active schedule, of every patient: what reminders and alarms watch. */
  public List<DoseSchedule> active() {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from medication_request where status = 'active'"
            + " order by patient_id, id",
        this::row);
  }

  /** The patient's active schedules held in a dispenser compartment. */
  public List<DoseSchedule> inCompartment(String patientId, int compartment) {
    return jdbc.query(
        "select "
            + COLUMNS
            + " from medication_request where patient_id = ? and compartment = ?"
            + " and status = 'active' order by id",
        this::row,
        patientId,
        compartment);
  }

  private static String times(DoseSchedule schedule) {
    return schedule.timesOfDay().isEmpty()
        ? null
        : schedule.timesOfDay().stream().map(LocalTime::toString).collect(Collectors.joining(","));
  }

  private static String days(DoseSchedule schedule) {
    return schedule.daysOfWeek().isEmpty()
        ? null
        : schedule.daysOfWeek().stream()
            .sorted()
            .map(MedicationSchedules::dayCode)
            .collect(Collectors.joining(","));
  }

  /** FHIR's days-of-week codes: mon, tue, … */
  public static String dayCode(DayOfWeek day) {
    return day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT);
  }

  public static Optional<DayOfWeek> dayOf(String code) {
    return Arrays.stream(DayOfWeek.values()).filter(d -> dayCode(d).equals(code)).findFirst();
  }

  private DoseSchedule row(ResultSet rs, int row) throws SQLException {
    String system = rs.getString("medication_system");
    String times = rs.getString("times_of_day");
    String days = rs.getString("days_of_week");
    int compartment = rs.getInt("compartment");
    boolean hasCompartment = !rs.wasNull();
    OffsetDateTime end = rs.getObject("end_at", OffsetDateTime.class);
    return new DoseSchedule(
        rs.getString("id"),
        rs.getString("patient_id"),
        rs.getString("medication_text"),
        system == null
            ? Optional.empty()
            : Optional.of(
                new DoseSchedule.Code(
                    system,
                    rs.getString("medication_code"),
                    Optional.ofNullable(rs.getString("medication_display")))),
        rs.getString("status"),
        times == null ? List.of() : Arrays.stream(times.split(",")).map(LocalTime::parse).toList(),
        days == null
            ? Set.of()
            : Arrays.stream(days.split(","))
                .map(d -> dayOf(d).orElseThrow())
                .collect(Collectors.toSet()),
        rs.getBoolean("as_needed"),
        hasCompartment ? Optional.of(compartment) : Optional.empty(),
        Optional.ofNullable(rs.getString("dose_text")),
        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(end).map(OffsetDateTime::toInstant),
        rs.getString("requester"),
        rs.getInt("version"));
  }

  static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
