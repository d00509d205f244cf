package org.vigil.analytics;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.api.ApiException;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;
import org.vigil.security.ScopeAuthorization;

/**
 * {@code /api/v1/patients/{id}/alarm-limits}: the alarm limits that apply to a patient ({@code
 * GET}; each says whether it is the patient's own, the ward's or Vigil's default), a clinician's
 * personal limit for one vital ({@code PUT /{code}} with {@code low}, {@code high} and a reason)
 * and back to the default ({@code DELETE /{code}}). Changes are audited and the latest reading is
 * judged against the new limit at once.
 */
@RestController
class AlarmLimitController {

  private final AlarmLimits limits;
  private final News2Monitor monitor;
  private final PatientAccess access;
  private final AuditTrail audit;
  private final AuditAgents agents;

  AlarmLimitController(
      AlarmLimits limits,
      News2Monitor monitor,
      PatientAccess access,
      AuditTrail audit,
      AuditAgents agents) {
    this.limits = limits;
    this.monitor = monitor;
    this.access = access;
    this.audit = audit;
    this.agents = agents;
  }

  @GetMapping("/api/v1/patients/{patientId}/alarm-limits")
  List<LimitChange.View> list(@PathVariable String patientId, Authentication caller) {
    PatientAccess.Scope scope = access.of(caller);
    boolean reader =
        scope.role().isPresent()
            ? scope.mayAccess(patientId)
            : ScopeAuthorization.grants(caller, "Flag", 'r');
    if (!reader) {
      refuse(patientId, "R", "read alarm limits", "not one of the caller's patients");
    }
    audit.record(
        new AuditEntry(
            "rest",
            "R",
            AuditEntry.SUCCESS,
            agents.current(),
            Set.of(patientId),
            "read alarm limits",
            Optional.empty()));
    return limits.of(patientId).values().stream()
        .sorted(Comparator.comparing(AlarmLimit::code))
        .map(LimitChange.View::of)
        .toList();
  }

  @PutMapping("/api/v1/patients/{patientId}/alarm-limits/{code}")
  LimitChange.View set(
      @PathVariable String patientId,
      @PathVariable String code,
      @RequestBody(required = false) LimitChange change,
      Authentication caller) {
    requireClinician(patientId, caller, "set alarm limit " + code);
    AlarmLimit limit = LimitChange.requested(code, change, AlarmLimit.Source.PERSONAL);
    AlarmLimit stored =
        limits.set(patientId, limit, agents.current(), Optional.ofNullable(change.reason()));
    monitor.recheckLimit(patientId, code);
    return LimitChange.View.of(stored);
  }

  @DeleteMapping("/api/v1/patients/{patientId}/alarm-limits/{code}")
  ResponseEntity<Void> reset(
      @PathVariable String patientId, @PathVariable String code, Authentication caller) {
    requireClinician(patientId, caller, "reset alarm limit " + code);
    limits.reset(patientId, code, agents.current());
    monitor.recheckLimit(patientId, code);
    return ResponseEntity.noContent().build();
  }

  private void requireClinician(String patientId, Authentication caller, String what) {
    PatientAccess.Scope scope = access.of(caller);
    if (scope.role().orElse(null) != Role.CLINICIAN || !scope.mayAccess(patientId)) {
      refuse(patientId, "U", what, "only a clinician looking after the patient may");
    }
  }

  private void refuse(String patientId, String action, String what, String why) {
    audit.record(
        new AuditEntry(
            "rest",
            action,
            AuditEntry.MINOR_FAILURE,
            agents.current(),
            Set.of(patientId),
            what,
            Optional.of(why)));
    throw new ApiException(HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, why);
  }
}
