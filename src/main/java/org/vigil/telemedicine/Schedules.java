package org.vigil.telemedicine;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Clinicians' schedules and the slots they offer on them. A schedule and its slots hold no
 * patient's data: anyone signed in may read them, only its clinician adds to them.
 */
@Service
public class Schedules {

  /** The longest visit a slot may offer: a consultation, not a shift. */
  static final java.time.Duration LONGEST_SLOT = java.time.Duration.ofHours(4);

  private final JdbcTemplate jdbc;
  private final Clock clock = Clock.systemUTC();

  Schedules(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  public ClinicianSchedule create(VisitCaller caller, Optional<String> description) {
    if (!caller.isStaff()) {
      throw VisitException.forbidden("only nurses and clinicians keep schedules of video visits");
    }
    String text = description.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    if (text != null && text.length() > 500) {
      throw VisitException.invalid("Schedule.comment: at most 500 characters");
    }
    ClinicianSchedule schedule =
        new ClinicianSchedule(
            UUID.randomUUID().toString(),
            caller.username(),
            Optional.ofNullable(text),
            clock.instant());
    jdbc.update(
        "insert into visit_schedule (id, practitioner, description, created_at) values (?, ?, ?, ?)",
        schedule.id(),
        schedule.practitioner(),
        text,
        at(schedule.createdAt()));
    return schedule;
  }

  public Optional<ClinicianSchedule> schedule(String id) {
    return jdbc
        .query("select * from visit_schedule where id = ?", (rs, n) -> schedule(rs), id)
        .stream()
        .findFirst();
  }

  public List<ClinicianSchedule> schedulesOf(Optional<String> practitioner) {
    return practitioner
        .map(p ->
            jdbc.query(
                "select * from visit_schedule where practitioner = ? order by created_at",
                (rs, n) -> schedule(rs),
                p))
        .orElseGet(() ->
            jdbc.query(
                "select * from visit_schedule order by created_at limit 1000",
                (rs, n) -> schedule(rs)));
  }

  @Transactional
  public OfferedSlot offer(VisitCaller caller, String scheduleId, Instant start, Instant end) {
    ClinicianSchedule schedule =
        schedule(scheduleId)
            .orElseThrow(() -> VisitException.invalid("Slot.schedule: no schedule " + scheduleId));
    if (!schedule.practitioner().equals(caller.username())) {
      throw VisitException.forbidden("only the schedule's own clinician offers slots on it");
    }
    checkTimes(start, end, "Slot");
    OfferedSlot slot = new OfferedSlot(UUID.randomUUID().toString(), scheduleId, start, end, true);
    jdbc.update(
        "insert into visit_slot (id, schedule_id, starts_at, ends_at, status) values (?, ?, ?, ?, ?)",
        slot.id(),
        scheduleId,
        at(start),
        at(end),
        "free");
    return slot;
  }

  public Optional<OfferedSlot> slot(String id) {
    return jdbc.query("select * from visit_slot where id = ?", (rs, n) -> slot(rs), id).stream()
        .findFirst();
  }

  /** Slots of a schedule, or of all schedules, from {@code from} on, earliest first. */
  public List<OfferedSlot> slots(
      Optional<String> scheduleId, Optional<Boolean> free, Instant from, int max) {
    StringBuilder sql = new StringBuilder("select * from visit_slot where ends_at > ?");
    List<Object> args = new java.util.ArrayList<>(List.of(at(from)));
    scheduleId.ifPresent(id -> {
      sql.append(" and schedule_id = ?");
      args.add(id);
    });
    free.ifPresent(f -> {
      sql.append(" and status = ?");
      args.add(f ? "free" : "busy");
    });
    sql.append(" order by starts_at limit ").append(Math.max(1, Math.min(max, 1000)));
    return jdbc.query(sql.toString(), (rs, n) -> slot(rs), args.toArray());
  }

  /** Takes a free slot; false when someone took it first. */
  boolean take(String slotId) {
    return jdbc.update(
            "update visit_slot set status = 'busy' where id = ? and status = 'free'", slotId)
        == 1;
  }

  void release(String slotId) {
    jdbc.update("update visit_slot set status = 'free' where id = ?", slotId);
  }

  static void checkTimes(Instant start, Instant end, String resource) {
    if (start == null || end == null) {
      throw VisitException.invalid(resource + ".start and " + resource + ".end are required");
    }
    if (!end.isAfter(start)) {
      throw VisitException.invalid(resource + ".end must be after " + resource + ".start");
    }
    if (java.time.Duration.between(start, end).compareTo(LONGEST_SLOT) > 0) {
      throw VisitException.invalid(resource + ": a video visit lasts at most 4 hours");
    }
  }

  static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static ClinicianSchedule schedule(ResultSet rs) throws SQLException {
    return new ClinicianSchedule(
        rs.getString("id"),
        rs.getString("practitioner"),
        Optional.ofNullable(rs.getString("description")),
        instant(rs, "created_at"));
  }

  private static OfferedSlot slot(ResultSet rs) throws SQLException {
    return new OfferedSlot(
        rs.getString("id"),
        rs.getString("schedule_id"),
        instant(rs, "starts_at"),
        instant(rs, "ends_at"),
        "free".equals(rs.getString("status")));
  }
}
