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
import org.vigil.patient.PatientRepository;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;
import org.vigil.security.UserAccounts;

/**
 * {@code /api/v1/wards/{ward}/alarm-limits}: a ward's own default alarm limits, which its patients
 * have unless a clinician set their own. Its nurses and clinicians read them; a clinician of the
 * ward or an administrator sets one vital's ({@code PUT /{code}} with {@code low}, {@code high} and
 * a reason) or puts Vigil's default back ({@code DELETE /{code}}). Changes are audited, and every
 * patient on the ward has their latest reading judged against the new limit at once.
 */
@RestController
class WardAlarmLimitController {

  private final AlarmLimits limits;
  private final News2Monitor monitor;
  private final PatientRepository patients;
  private final UserAccounts users;
  private final AuditTrail audit;
  private final AuditAgents agents;

  WardAlarmLimitController(
      AlarmLimits limits,
      News2Monitor monitor,
      PatientRepository patients,
      UserAccounts users,
      AuditTrail audit,
      AuditAgents agents) {
    this.limits = limits;
    this.monitor = monitor;
    this.patients = patients;
    this.users = users;
    this.audit = audit;
    this.agents = agents;
  }

  @GetMapping("/api/v1/wards/{ward}/alarm-limits")
  List<LimitChange.View> list(@PathVariable String ward, Authentication caller) {
    Optional<Role> role = PatientAccess.roleOf(caller);
    boolean reader =
        role.equals(Optional.of(Role.ADMIN))
            || ((role.equals(Optional.of(Role.NURSE)) || role.equals(Optional.of(Role.CLINICIAN)))
                && users.wardsOf(caller.getName()).contains(ward));
    if (!reader) {
      refuse(ward, "R", "read ward alarm limits", "only the ward's staff and administrators may");
    }
    requireKnown(ward);
    return limits.ofWard(ward).values().stream()
        .sorted(Comparator.comparing(AlarmLimit::code))
        .map(LimitChange.View::of)
        .toList();
  }

  @PutMapping("/api/v1/wards/{ward}/alarm-limits/{code}")
  LimitChange.View set(
      @PathVariable String ward,
      @PathVariable String code,
      @RequestBody(required = false) LimitChange change,
      Authentication caller) {
    requireSetter(ward, caller, "set ward alarm limit " + code);
    requireKnown(ward);
    AlarmLimit limit = LimitChange.requested(code, change, AlarmLimit.Source.WARD);
    AlarmLimit stored =
        limits.setForWard(ward, limit, agents.current(), Optional.ofNullable(change.reason()));
    recheck(ward, code);
    return LimitChange.View.of(stored);
  }

  @DeleteMapping("/api/v1/wards/{ward}/alarm-limits/{code}")
  ResponseEntity<Void> reset(
      @PathVariable String ward, @PathVariable String code, Authentication caller) {
    requireSetter(ward, caller, "reset ward alarm limit " + code);
    requireKnown(ward);
    limits.resetForWard(ward, code, agents.current());
    recheck(ward, code);
    return ResponseEntity.noContent().build();
  }

  private void recheck(String ward, String code) {
    for (String patientId : patients.idsOnWards(Set.of(ward))) {
      monitor.recheckLimit(patientId, code);
    }
  }

  /** A ward Vigil knows: one a patient lies on or a member of staff works on. */
  private void requireKnown(String ward) {
    boolean known =
        patients.wards().contains(ward)
            || users.wardsByUser().values().stream().anyMatch(w -> w.contains(ward));
    if (!known) {
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          IssueType.NOTFOUND,
          "ward: no patient lies on and no member of staff works on a ward of that name");
    }
  }

  private void requireSetter(String ward, Authentication caller, String what) {
    Optional<Role> role = PatientAccess.roleOf(caller);
    boolean setter =
        role.equals(Optional.of(Role.ADMIN))
            || (role.equals(Optional.of(Role.CLINICIAN))
                && users.wardsOf(caller.getName()).contains(ward));
    if (!setter) {
      refuse(ward, "U", what, "only a clinician of the ward or an administrator may");
    }
  }

  private void refuse(String ward, String action, String what, String why) {
    audit.record(
        new AuditEntry(
            "rest",
            action,
            AuditEntry.MINOR_FAILURE,
            agents.current(),
            Set.of(),
            what + " for " + ward,
            Optional.of(why)));
    throw new ApiException(HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, why);
  }
}
