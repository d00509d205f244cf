package org.vigil.security;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.api.ApiException;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.audit.AuditVerification;

/**
 * {@code POST /api/v1/audit/verify}: checks the whole audit chain now, as {@code vigil audit
 * verify} does, for the administrator's audit page or an auditor's system ({@code
 * system/AuditEvent.rs}). The check itself goes in the trail.
 */
@RestController
class AuditVerificationController {

  record Result(
      boolean intact,
      long intactEvents,
      Optional<Long> firstBrokenEvent,
      Optional<String> problem,
      Instant checkedAt) {}

  private final AuditTrail trail;
  private final AuditAgents agents;

  AuditVerificationController(AuditTrail trail, AuditAgents agents) {
    this.trail = trail;
    this.agents = agents;
  }

  @PostMapping("/api/v1/audit/verify")
  Result verify(Authentication caller) {
    boolean admin = PatientAccess.roleOf(caller).orElse(null) == Role.ADMIN;
    if (!admin && !ScopeAuthorization.grants(caller, "AuditEvent", 'r')) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          IssueType.FORBIDDEN,
          "checking the audit trail is for administrators and auditors (system/AuditEvent.rs)");
    }
    AuditVerification verification = trail.verify();
    trail.record(
        new AuditEntry(
            "rest",
            "E",
            AuditEntry.SUCCESS,
            agents.current(),
            Set.of(),
            "verify audit chain: " + (verification.isIntact() ? "intact" : "broken"),
            verification.problem()));
    return new Result(
        verification.isIntact(),
        verification.intactEvents(),
        verification.firstBrokenEvent(),
        verification.problem(),
        Instant.now());
  }
}
