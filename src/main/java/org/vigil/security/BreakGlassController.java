package org.vigil.security;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.api.ApiException;

/**
 * {@code /api/v1/break-glass}: a clinician signed in through the web app opens a patient outside
 * their wards ({@code POST}, with a reason) or closes the access early ({@code DELETE}); those who
 * read the audit trail list a patient's emergency accesses ({@code GET ?patient=}).
 */
@RestController
class BreakGlassController {

  record Request(String patientId, String reason) {}

  private final BreakGlass breakGlass;
  private final PatientAccess access;

  BreakGlassController(BreakGlass breakGlass, PatientAccess access) {
    this.breakGlass = breakGlass;
    this.access = access;
  }

  @PostMapping("/api/v1/break-glass")
  ResponseEntity<BreakGlass.Access> open(
      @RequestBody(required = false) Request request, Authentication caller) {
    requireClinician(caller);
    if (request == null) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "patientId and reason are required");
    }
    try {
      return ResponseEntity.status(HttpStatus.CREATED)
          .body(breakGlass.open(caller.getName(), request.patientId(), request.reason()));
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, IssueType.INVALID, e.getMessage());
    }
  }

  @DeleteMapping("/api/v1/break-glass/{id}")
  ResponseEntity<Void> close(@PathVariable long id, Authentication caller) {
    requireClinician(caller);
    try {
      breakGlass.close(caller.getName(), id);
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, e.getMessage());
    }
    return ResponseEntity.noContent().build();
  }

  /**
   * The emergency accesses to a patient: for auditors ({@code system/AuditEvent.rs}) and for the
   * patient's own care team and ward staff, who should know who opened their patient and why.
   */
  @GetMapping("/api/v1/break-glass")
  List<BreakGlass.Access> ofPatient(@RequestParam String patient, Authentication caller) {
    boolean auditor = ScopeAuthorization.grants(caller, "AuditEvent", 'r');
    PatientAccess.Scope scope = access.of(caller);
    boolean careTeam =
        scope.role().isPresent()
            && scope.patients().contains(patient)
            && !scope.breakGlass().contains(patient);
    if (!auditor && !careTeam) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          IssueType.FORBIDDEN,
          "emergency accesses are for the patient's care team and ward staff, and for auditors"
              + " (system/AuditEvent.rs)");
    }
    return breakGlass.ofPatient(patient);
  }

  private static void requireClinician(Authentication caller) {
    Optional<Role> role = PatientAccess.roleOf(caller);
    if (role.isEmpty() || role.get() != Role.CLINICIAN) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          IssueType.FORBIDDEN,
          "only a clinician signed in as themselves may break the glass");
    }
  }
}
