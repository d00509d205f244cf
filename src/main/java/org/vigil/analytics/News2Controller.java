package org.vigil.analytics;

import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
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

/**
 * {@code PUT /api/v1/patients/{id}/news2-scale}: a clinician prescribes SpO2 scale 2 (a target of
 * 88–92 %) for a patient, or puts them back on scale 1. The patient is scored again at once.
 */
@RestController
class News2Controller {

  record ScaleChange(Integer scale, String reason) {}

  record ScaleView(String patientId, int scale) {}

  private final SpO2Scales scales;
  private final News2Monitor monitor;
  private final PatientAccess access;
  private final AuditTrail audit;
  private final AuditAgents agents;

  News2Controller(
      SpO2Scales scales,
      News2Monitor monitor,
      PatientAccess access,
      AuditTrail audit,
      AuditAgents agents) {
    this.scales = scales;
    this.monitor = monitor;
    this.access = access;
    this.audit = audit;
    this.agents = agents;
  }

  @PutMapping("/api/v1/patients/{patientId}/news2-scale")
  ScaleView setScale(
      @PathVariable String patientId,
      @RequestBody(required = false) ScaleChange change,
      Authentication caller) {
    PatientAccess.Scope scope = access.of(caller);
    if (scope.role().orElse(null) != Role.CLINICIAN || !scope.mayAccess(patientId)) {
      audit.record(
          new AuditEntry(
              "rest",
              "U",
              AuditEntry.MINOR_FAILURE,
              agents.current(),
              Set.of(patientId),
              "set NEWS2 SpO2 scale",
              Optional.of("only a clinician looking after the patient may")));
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          IssueType.FORBIDDEN,
          "only a clinician looking after the patient prescribes the SpO2 scale");
    }
    if (change == null || change.scale() == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "scale: 1 or 2");
    }
    SpO2Scale scale;
    try {
      scale = SpO2Scale.ofNumber(change.scale());
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, IssueType.INVALID, "scale: " + e.getMessage());
    }
    scales.set(patientId, scale, agents.current(), Optional.ofNullable(change.reason()));
    monitor.rescore(patientId);
    return new ScaleView(patientId, scale.number());
  }
}
