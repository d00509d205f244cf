package org.vigil.ward;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.vigil.api.ApiException;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;
import org.vigil.security.ScopeAuthorization;

/**
 * The ward overview for nurses and clinicians: {@code GET /api/v1/ward} (a tile per patient they
 * look after, sickest first; {@code ?ward=7B} for one ward) and {@code GET /api/v1/ward/stream}
 * (their patients' new vital signs and NEWS2 as they come). Systems read it with an Observation
 * read scope; patients see their own data in the patient portal, not a ward.
 */
@RestController
class WardController {

  record Ward(java.time.Instant at, List<WardTile> patients) {}

  private final WardOverview overview;
  private final WardStream stream;
  private final PatientAccess access;
  private final AuditTrail audit;
  private final AuditAgents agents;

  WardController(
      WardOverview overview,
      WardStream stream,
      PatientAccess access,
      AuditTrail audit,
      AuditAgents agents) {
    this.overview = overview;
    this.stream = stream;
    this.access = access;
    this.audit = audit;
    this.agents = agents;
  }

  @GetMapping("/api/v1/ward")
  Ward ward(@RequestParam(required = false) String ward, Authentication caller) {
    PatientAccess.Scope scope = readerScope(caller);
    List<WardTile> tiles =
        overview.tiles(scope.allPatients() ? Optional.empty() : Optional.of(scope.patients()));
    if (ward != null) {
      tiles = tiles.stream().filter(t -> ward.equals(t.ward())).toList();
    }
    Set<String> shown = tiles.stream().map(WardTile::patientId).collect(Collectors.toSet());
    record(shown, "ward overview" + (ward == null ? "" : " of ward " + ward));
    return new Ward(java.time.Instant.now(), tiles);
  }

  @GetMapping(path = "/api/v1/ward/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter live(Authentication caller) {
    PatientAccess.Scope scope = readerScope(caller);
    record(Set.of(), "subscribe to the ward stream");
    // As with the alarm stream, the scope is taken now and holds until the client reconnects.
    return stream.subscribe(scope::mayAccess);
  }

  private PatientAccess.Scope readerScope(Authentication caller) {
    PatientAccess.Scope scope = access.of(caller);
    if (scope.role().isEmpty()) {
      if (!ScopeAuthorization.grants(caller, "Observation", 'r')) {
        throw new ApiException(
            HttpStatus.FORBIDDEN,
            IssueType.FORBIDDEN,
            "the ward overview needs an Observation read scope");
      }
      return scope;
    }
    Role role = scope.role().get();
    if (role != Role.NURSE && role != Role.CLINICIAN) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          IssueType.FORBIDDEN,
          "the ward overview is for nurses and clinicians");
    }
    return scope;
  }

  private void record(Set<String> patients, String what) {
    audit.record(
        new AuditEntry(
            "rest", "R", AuditEntry.SUCCESS, agents.current(), patients, what, Optional.empty()));
  }
}
