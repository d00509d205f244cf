package org.vigil.alarm;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.vigil.api.ApiException;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;
import org.vigil.security.ScopeAuthorization;

/**
 * {@code /api/v1/alarms}: the open alarms of the patients the caller may see ({@code GET}), one
 * patient's alarms past and present ({@code ?patient=}), an alarm with everything it went through
 * ({@code GET /{id}}), acknowledging and resolving ({@code POST /{id}/acknowledge}, {@code
 * /{id}/resolve} with a reason) for nurses and clinicians, and the live stream of changes ({@code
 * GET /stream}, Server-Sent Events). Systems read with a {@code Flag} read scope (alarms are what
 * FHIR calls flags); only people act on alarms.
 */
@RestController
class AlarmController {

  record Resolution(String reason) {}

  record AlarmDetail(AlarmView alarm, List<EventView> history) {}

  record EventView(
      java.time.Instant at, String kind, String actor, String priority, String detail) {
    static EventView of(AlarmEvent e) {
      return new EventView(
          e.at(),
          e.kind().code(),
          e.actor().orElse(null),
          e.priority().code(),
          e.detail().orElse(null));
    }
  }

  private final Alarms alarms;
  private final AlarmStream stream;
  private final PatientAccess access;
  private final AuditTrail audit;
  private final AuditAgents agents;

  AlarmController(
      Alarms alarms,
      AlarmStream stream,
      PatientAccess access,
      AuditTrail audit,
      AuditAgents agents) {
    this.alarms = alarms;
    this.stream = stream;
    this.access = access;
    this.audit = audit;
    this.agents = agents;
  }

  @GetMapping("/api/v1/alarms")
  List<AlarmView> list(
      @RequestParam(required = false) String patient,
      @RequestParam(defaultValue = "100") int max,
      Authentication caller) {
    PatientAccess.Scope scope = readerScope(caller);
    List<Alarm> found;
    if (patient != null) {
      requireAccess(scope, patient, "read alarms of patient");
      found = alarms.ofPatient(patient, Math.max(1, Math.min(max, 1000)));
    } else {
      found = alarms.open(scope.allPatients() ? Optional.empty() : Optional.of(scope.patients()));
    }
    Set<String> patients = found.stream().map(Alarm::patientId).collect(Collectors.toSet());
    record(
        "R",
        AuditEntry.SUCCESS,
        patients,
        patient == null ? "list open alarms" : "list alarms of patient",
        Optional.empty());
    return found.stream().map(alarms::view).toList();
  }

  @GetMapping("/api/v1/alarms/{id}")
  AlarmDetail one(@PathVariable long id, Authentication caller) {
    PatientAccess.Scope scope = readerScope(caller);
    Alarm alarm = visible(id, scope);
    record(
        "R", AuditEntry.SUCCESS, Set.of(alarm.patientId()), "read alarm " + id, Optional.empty());
    return new AlarmDetail(
        alarms.view(alarm), alarms.history(id).stream().map(EventView::of).toList());
  }

  @PostMapping("/api/v1/alarms/{id}/acknowledge")
  AlarmView acknowledge(@PathVariable long id, Authentication caller) {
    Alarm alarm = visible(id, actorScope(caller));
    return alarms.view(act(() -> alarms.acknowledge(alarm.id(), agents.current())));
  }

  @PostMapping("/api/v1/alarms/{id}/resolve")
  AlarmView resolve(
      @PathVariable long id,
      @RequestBody(required = false) Resolution resolution,
      Authentication caller) {
    Alarm alarm = visible(id, actorScope(caller));
    if (resolution == null || resolution.reason() == null || resolution.reason().isBlank()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "reason: say why the alarm is resolved");
    }
    if (resolution.reason().length() > 500) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.TOOLONG, "reason: at most 500 characters");
    }
    return alarms.view(
        act(() -> alarms.resolve(alarm.id(), agents.current(), resolution.reason())));
  }

  record Snooze(String reason, Integer minutes) {}

  /** Silences the alarm for {@code minutes} (at most vigil.alarms.max-snooze), with a reason. */
  @PostMapping("/api/v1/alarms/{id}/snooze")
  AlarmView snooze(
      @PathVariable long id, @RequestBody(required = false) Snooze snooze, Authentication caller) {
    Alarm alarm = visible(id, actorScope(caller));
    if (snooze == null || snooze.reason() == null || snooze.reason().isBlank()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "reason: say why the alarm is snoozed");
    }
    if (snooze.minutes() == null) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "minutes: how long to snooze");
    }
    if (snooze.reason().length() > 400) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.TOOLONG, "reason: at most 400 characters");
    }
    try {
      return alarms.view(
          act(() ->
              alarms.snooze(
                  alarm.id(),
                  agents.current(),
                  snooze.reason(),
                  java.time.Duration.ofMinutes(snooze.minutes()))));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.INVALID, "minutes: " + e.getMessage());
    }
  }

  /** Alarm changes as they happen, for the patients the caller may see. */
  @GetMapping(path = "/api/v1/alarms/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter live(Authentication caller) {
    PatientAccess.Scope scope = readerScope(caller);
    record("R", AuditEntry.SUCCESS, Set.of(), "subscribe to the alarm stream", Optional.empty());
    // The scope is taken now: someone moved off a ward keeps seeing it until they reconnect, as
    // with any token they already hold.
    return stream.subscribe(scope::mayAccess);
  }

  private interface Action {
    Alarm run();
  }

  private static Alarm act(Action action) {
    try {
      return action.run();
    } catch (AlarmStateException e) {
      throw new ApiException(HttpStatus.CONFLICT, IssueType.CONFLICT, e.getMessage());
    }
  }

  private Alarm visible(long id, PatientAccess.Scope scope) {
    Alarm alarm =
        alarms
            .find(id)
            .orElseThrow(
                () -> new ApiException(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no alarm " + id));
    if (!scope.mayAccess(alarm.patientId())) {
      record(
          "R",
          AuditEntry.MINOR_FAILURE,
          Set.of(alarm.patientId()),
          "alarm " + id,
          Optional.of("not one of the caller's patients"));
      // Not 403: whether an alarm exists for someone else's patient is itself not theirs to know.
      throw new ApiException(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no alarm " + id);
    }
    return alarm;
  }

  private void requireAccess(PatientAccess.Scope scope, String patient, String what) {
    if (!scope.mayAccess(patient)) {
      record(
          "R",
          AuditEntry.MINOR_FAILURE,
          Set.of(patient),
          what,
          Optional.of("not one of the caller's patients"));
      throw new ApiException(
          HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, "that patient is not one of yours");
    }
  }

  /** People see their patients' alarms; systems need a read scope on Flag. */
  private PatientAccess.Scope readerScope(Authentication caller) {
    PatientAccess.Scope scope = access.of(caller);
    if (scope.role().isEmpty() && !ScopeAuthorization.grants(caller, "Flag", 'r')) {
      throw new ApiException(
          HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, "reading alarms needs a Flag read scope");
    }
    if (scope.role().isPresent() && scope.patients().isEmpty()) {
      throw new ApiException(
          HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, "you look after no patients");
    }
    return scope;
  }

  /** Acknowledging and resolving are for the nurses and clinicians looking after the patient. */
  private PatientAccess.Scope actorScope(Authentication caller) {
    PatientAccess.Scope scope = access.of(caller);
    boolean carer = scope.role().map(r -> r == Role.NURSE || r == Role.CLINICIAN).orElse(false);
    if (!carer) {
      record(
          "U",
          AuditEntry.MINOR_FAILURE,
          Set.of(),
          "act on an alarm",
          Optional.of("only nurses and clinicians act on alarms"));
      throw new ApiException(
          HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, "only nurses and clinicians act on alarms");
    }
    return scope;
  }

  private void record(
      String action, int outcome, Set<String> patients, String what, Optional<String> detail) {
    AuditAgent agent = agents.current();
    audit.record(new AuditEntry("rest", action, outcome, agent, patients, what, detail));
  }
}
