package org.vigil.telemedicine;

import static org.vigil.telemedicine.Schedules.at;
import static org.vigil.telemedicine.Schedules.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vigil.patient.PatientRepository;
import org.vigil.security.PatientAccess;

/**
 * Booking video visits: a patient books a clinician's free slot, a clinician invites one of their
 * patients (into a slot of theirs or at a time they name), either side cancels or moves it, and a
 * clinician calls a patient now. A visit is always between a patient and a nurse or clinician who
 * looks after them: one who could not see the patient's vitals could not hold the visit.
 */
@Service
public class Appointments {

  private final JdbcTemplate jdbc;
  private final Schedules schedules;
  private final PatientRepository patients;
  private final PatientAccess access;
  private final TelemedicineProperties settings;
  private final VisitNotices notices;
  private final Clock clock = Clock.systemUTC();

  Appointments(
      JdbcTemplate jdbc,
      Schedules schedules,
      PatientRepository patients,
      PatientAccess access,
      TelemedicineProperties settings,
      VisitNotices notices) {
    this.notices = notices;
    this.jdbc = jdbc;
    this.schedules = schedules;
    this.patients = patients;
    this.access = access;
    this.settings = settings;
  }

  /**
   * What a caller asks for: for an invitation the patient and either a slot or a time; for a
   * booking the slot (the patient is the caller).
   */
  public record Request(
      Optional<String> patientId,
      Optional<String> practitioner,
      Optional<String> slotId,
      Optional<Instant> start,
      Optional<Instant> end) {}

  @Transactional
  public Appointment book(VisitCaller caller, Request request) {
    Optional<OfferedSlot> slot =
        request
            .slotId()
            .map(id ->
                schedules
                    .slot(id)
                    .orElseThrow(() -> VisitException.invalid("Appointment.slot: no slot " + id)));
    String patientId;
    String practitioner;
    if (caller.isStaff()) {
      patientId =
          request
              .patientId()
              .orElseThrow(() ->
                  VisitException.invalid("Appointment.participant: name the patient to invite"));
      if (!caller.scope().mayAccess(patientId)) {
        throw VisitException.forbidden("only a patient you look after can be invited");
      }
      practitioner = caller.username();
      request
          .practitioner()
          .filter(p -> !p.equals(practitioner))
          .ifPresent(p -> {
            throw VisitException.forbidden("a clinician invites patients to their own visits");
          });
    } else {
      patientId = caller.patientId().orElseThrow();
      request
          .patientId()
          .filter(p -> !p.equals(patientId))
          .ifPresent(p -> {
            throw VisitException.forbidden("a patient books visits for themselves only");
          });
      OfferedSlot chosen =
          slot.orElseThrow(() ->
              VisitException.invalid("Appointment.slot: a patient books one of the slots offered"));
      practitioner = schedules.schedule(chosen.scheduleId()).orElseThrow().practitioner();
      if (!access.ofUser(practitioner).mayAccess(patientId)) {
        throw VisitException.forbidden(
            "this clinician does not look after you; book with someone on your care team");
      }
    }
    if (patients.find(patientId).isEmpty()) {
      throw VisitException.invalid("Appointment.participant: no patient " + patientId);
    }
    Instant start;
    Instant end;
    if (slot.isPresent()) {
      String owner = schedules.schedule(slot.get().scheduleId()).orElseThrow().practitioner();
      if (!owner.equals(practitioner)) {
        throw VisitException.forbidden("the slot is on another clinician's schedule");
      }
      if (!schedules.take(slot.get().id())) {
        throw VisitException.conflict("the slot has been booked already; choose another");
      }
      start = slot.get().start();
      end = slot.get().end();
    } else {
      start = request.start().orElse(null);
      end = request.end().orElse(null);
      Schedules.checkTimes(start, end, "Appointment");
    }
    Appointment booked =
        insert(
            patientId,
            practitioner,
            start,
            end,
            slot.map(OfferedSlot::id),
            false,
            Optional.empty(),
            caller.username());
    if (caller.isStaff()) {
      notices.tell(booked, "invitation");
    }
    return booked;
  }

  /** "Call the patient now": a visit from now on, of a patient the clinician may see. */
  @Transactional
  public Appointment callNow(VisitCaller caller, String patientId, Optional<Long> alarmId) {
    if (!caller.isStaff()) {
      throw VisitException.forbidden("only nurses and clinicians call a patient");
    }
    if (!caller.scope().mayAccess(patientId)) {
      throw VisitException.forbidden("only a patient you look after can be called");
    }
    Instant now = clock.instant();
    Appointment called =
        insert(
            patientId,
            caller.username(),
            now,
            now.plus(settings.onDemandLength()),
            Optional.empty(),
            true,
            alarmId,
            caller.username());
    notices.tell(called, "invitation");
    return called;
  }

  @Transactional
  public Appointment cancel(VisitCaller caller, String id) {
    Appointment appointment = participantOf(caller, id);
    if (!appointment.open()) {
      throw VisitException.conflict("the visit is " + appointment.status().code() + " already");
    }
    setStatus(id, Appointment.Status.CANCELLED);
    appointment.slotId().ifPresent(schedules::release);
    return find(id).orElseThrow();
  }

  /** Moves a booked visit to another time, or into another free slot of the same clinician. */
  @Transactional
  public Appointment reschedule(
      VisitCaller caller, String id, Optional<String> slotId, Instant start, Instant end) {
    Appointment appointment = participantOf(caller, id);
    if (appointment.status() != Appointment.Status.BOOKED) {
      throw VisitException.conflict(
          "only a booked visit is moved; this one is " + appointment.status().code());
    }
    if (slotId.isPresent() && !slotId.equals(appointment.slotId())) {
      OfferedSlot slot =
          schedules
              .slot(slotId.get())
              .orElseThrow(
                  () -> VisitException.invalid("Appointment.slot: no slot " + slotId.get()));
      String owner = schedules.schedule(slot.scheduleId()).orElseThrow().practitioner();
      if (!owner.equals(appointment.practitioner())) {
        throw VisitException.forbidden("the slot is on another clinician's schedule");
      }
      if (!schedules.take(slot.id())) {
        throw VisitException.conflict("the slot has been booked already; choose another");
      }
      appointment.slotId().ifPresent(schedules::release);
      start = slot.start();
      end = slot.end();
    } else if (slotId.isEmpty()) {
      Schedules.checkTimes(start, end, "Appointment");
      appointment.slotId().ifPresent(schedules::release);
    } else {
      return appointment;
    }
    jdbc.update(
        "update visit_appointment set starts_at = ?, ends_at = ?, slot_id = ?, updated_at = ?,"
            + " reminded_at = null where id = ?",
        at(start),
        at(end),
        slotId.orElse(null),
        at(clock.instant()),
        id);
    return find(id).orElseThrow();
  }

  /** The appointment, if the caller is one of its two participants. */
  public Appointment participantOf(VisitCaller caller, String id) {
    Appointment appointment =
        find(id).orElseThrow(() -> VisitException.notFound("no appointment " + id));
    if (!appointment.hasParticipant(caller)) {
      throw VisitException.forbidden("only the visit's patient and clinician take part in it");
    }
    return appointment;
  }

  public Optional<Appointment> find(String id) {
    return jdbc
        .query("select * from visit_appointment where id = ?", (rs, n) -> appointment(rs), id)
        .stream()
        .findFirst();
  }

  /** Visits of a patient or of a clinician (or both), newest start first. */
  public List<Appointment> search(
      Optional<String> patientId, Optional<String> practitioner, Optional<String> status, int max) {
    StringBuilder sql = new StringBuilder("select * from visit_appointment where 1 = 1");
    List<Object> args = new ArrayList<>();
    patientId.ifPresent(p -> {
      sql.append(" and patient_id = ?");
      args.add(p);
    });
    practitioner.ifPresent(p -> {
      sql.append(" and practitioner = ?");
      args.add(p);
    });
    status.ifPresent(s -> {
      sql.append(" and status = ?");
      args.add(s);
    });
    sql.append(" order by starts_at desc limit ").append(Math.max(1, Math.min(max, 1000)));
    return jdbc.query(sql.toString(), (rs, n) -> appointment(rs), args.toArray());
  }

  /** Booked visits starting before {@code before} whose patient has not been reminded yet. */
  List<Appointment> dueForReminder(Instant before) {
    return jdbc.query(
        "select * from visit_appointment where status = 'booked' and reminded_at is null"
            + " and on_demand = false and starts_at <= ? and ends_at > ?",
        (rs, n) -> appointment(rs),
        at(before),
        at(clock.instant()));
  }

  /** Marks the reminder sent; false when another node sent it first. */
  boolean markReminded(String id) {
    return jdbc.update(
            "update visit_appointment set reminded_at = ? where id = ? and reminded_at is null",
            at(clock.instant()),
            id)
        == 1;
  }

  void setStatus(String id, Appointment.Status status) {
    jdbc.update(
        "update visit_appointment set status = ?, updated_at = ? where id = ?",
        status.code(),
        at(clock.instant()),
        id);
  }

  private Appointment insert(
      String patientId,
      String practitioner,
      Instant start,
      Instant end,
      Optional<String> slotId,
      boolean onDemand,
      Optional<Long> alarmId,
      String bookedBy) {
    String id = UUID.randomUUID().toString();
    Instant now = clock.instant();
    jdbc.update(
        "insert into visit_appointment (id, patient_id, practitioner, status, starts_at, ends_at,"
            + " slot_id, on_demand, alarm_id, booked_by, created_at, updated_at)"
            + " values (?, ?, ?, 'booked', ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        patientId,
        practitioner,
        at(start),
        at(end),
        slotId.orElse(null),
        onDemand,
        alarmId.orElse(null),
        bookedBy,
        at(now),
        at(now));
    return find(id).orElseThrow();
  }

  private static Appointment appointment(ResultSet rs) throws SQLException {
    long alarm = rs.getLong("alarm_id");
    Optional<Long> alarmId = rs.wasNull() ? Optional.empty() : Optional.of(alarm);
    return new Appointment(
        rs.getString("id"),
        rs.getString("patient_id"),
        rs.getString("practitioner"),
        Appointment.Status.ofCode(rs.getString("status")).orElseThrow(),
        instant(rs, "starts_at"),
        instant(rs, "ends_at"),
        Optional.ofNullable(rs.getString("slot_id")),
        rs.getBoolean("on_demand"),
        alarmId,
        rs.getString("booked_by"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }
}
