package org.vigil.telemedicine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.Alarms;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.security.PatientAccess;

/**
 * What the web app needs around a visit, beside FHIR's Appointment: {@code POST
 * /api/v1/appointments/{id}/join-link} gives the caller — one of its two participants — a
 * single-use link into the visit; {@code POST /api/v1/alarms/{id}/call-patient} books a visit now
 * with the alarm's patient and invites them ("call the patient now"); {@code GET
 * /api/v1/patients/{id}/visit-notices} is the patient's reminders and requests. Each is audited,
 * and so is each refusal.
 */
@RestController
class VisitController {

  record JoinLink(String appointment, String link, Instant expiresAt) {}

  record CallPlaced(String appointment, String patient, Instant start, Instant end) {}

  record Notices(String patient, List<VisitNotices.Notice> notices) {}

  private final Appointments appointments;
  private final JoinLinks links;
  private final VisitNotices notices;
  private final Alarms alarms;
  private final PatientAccess access;
  private final AuditTrail audit;
  private final AuditAgents agents;

  VisitController(
      Appointments appointments,
      JoinLinks links,
      VisitNotices notices,
      Alarms alarms,
      PatientAccess access,
      AuditTrail audit,
      AuditAgents agents) {
    this.appointments = appointments;
    this.links = links;
    this.notices = notices;
    this.alarms = alarms;
    this.access = access;
    this.audit = audit;
    this.agents = agents;
  }

  @PostMapping("/api/v1/appointments/{id}/join-link")
  ResponseEntity<JoinLink> joinLink(@PathVariable String id, Authentication caller) {
    VisitCaller person = person(caller, "issue join link for visit " + id, Set.of());
    Appointment appointment;
    try {
      appointment = appointments.participantOf(person, id);
    } catch (VisitException e) {
      record(
          "C",
          AuditEntry.MINOR_FAILURE,
          Set.of(),
          "issue join link for visit " + id,
          Optional.of(e.getMessage()));
      throw e;
    }
    if (!appointment.open()) {
      throw VisitException.conflict("the visit is " + appointment.status().code());
    }
    JoinLinks.Issued issued = links.issue(id, person.username());
    record(
        "C",
        AuditEntry.SUCCESS,
        Set.of(appointment.patientId()),
        "issue join link for visit " + id,
        Optional.empty());
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(new JoinLink(id, issued.link(), issued.expiresAt()));
  }

  @PostMapping("/api/v1/alarms/{alarmId}/call-patient")
  ResponseEntity<CallPlaced> callPatient(@PathVariable long alarmId, Authentication caller) {
    Alarm alarm =
        alarms.find(alarmId).orElseThrow(() -> VisitException.notFound("no alarm " + alarmId));
    VisitCaller person =
        person(caller, "call patient from alarm " + alarmId, Set.of(alarm.patientId()));
    Appointment appointment;
    try {
      appointment = appointments.callNow(person, alarm.patientId(), Optional.of(alarmId));
    } catch (VisitException e) {
      record(
          "C",
          AuditEntry.MINOR_FAILURE,
          Set.of(alarm.patientId()),
          "call patient from alarm " + alarmId,
          Optional.of(e.getMessage()));
      throw e;
    }
    record(
        "C",
        AuditEntry.SUCCESS,
        Set.of(alarm.patientId()),
        "call patient from alarm " + alarmId + ": visit " + appointment.id(),
        Optional.empty());
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(
            new CallPlaced(
                appointment.id(), appointment.patientId(), appointment.start(), appointment.end()));
  }

  @GetMapping("/api/v1/patients/{patientId}/visit-notices")
  Notices notices(@PathVariable String patientId, Authentication caller) {
    VisitCaller person = person(caller, "read visit notices", Set.of(patientId));
    if (!person.scope().mayAccess(patientId)) {
      String why = "only the patient and the people looking after them read their visit notices";
      record(
          "R", AuditEntry.MINOR_FAILURE, Set.of(patientId), "read visit notices", Optional.of(why));
      throw VisitException.forbidden(why);
    }
    List<VisitNotices.Notice> found = notices.of(patientId);
    record(
        "R",
        AuditEntry.SUCCESS,
        Set.of(patientId),
        "read visit notices (" + found.size() + ")",
        Optional.empty());
    return new Notices(patientId, found);
  }

  private VisitCaller person(Authentication caller, String what, Set<String> patients) {
    Optional<VisitCaller> person = VisitCaller.of(caller, access);
    if (person.isEmpty()) {
      String why = "visits are between a patient and a nurse or clinician";
      record("E", AuditEntry.MINOR_FAILURE, patients, what, Optional.of(why));
      throw VisitException.forbidden(why);
    }
    return person.get();
  }

  private void record(
      String action, int outcome, Set<String> patients, String what, Optional<String> detail) {
    audit.record(new AuditEntry("rest", action, outcome, agents.current(), patients, what, detail));
  }
}
