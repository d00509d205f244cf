package org.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditAgents;
import org.vigil.security.PatientAccess;
import org.vigil.security.ScopeAuthorization;

/**
 * The kick-off of FHIR Bulk Data exports (Bulk Data Access IG): {@code [base]/$export}, {@code
 * [base]/Patient/$export} and {@code [base]/Group/[id]/$export} (a ward's patients, {@link
 * GroupProvider}), asynchronous, answered with 202 and the status URL in {@code Content-Location}.
 * Exports are for systems (backend services); the types exported are those asked for ({@code
 * _type}) that the client's scopes let it read.
 */
@Component
class BulkExportProvider {

  /** Where a client polls an export's status; its files are below it. */
  static final String STATUS_PATH = "/api/v1/bulk-exports/";

  private static final Set<String> NDJSON =
      Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");

  private final BulkExports exports;
  private final AuditAgents agents;
  private final FhirContext fhir;
  private final GroupProvider groups;

  BulkExportProvider(
      BulkExports exports, AuditAgents agents, FhirContext fhir, GroupProvider groups) {
    this.exports = exports;
    this.agents = agents;
    this.fhir = fhir;
    this.groups = groups;
  }

  @Operation(name = "$export", idempotent = true, manualResponse = true)
  public void exportAll(
      @OperationParam(name = "_outputFormat") StringType outputFormat,
      @OperationParam(name = "_since") InstantType since,
      @OperationParam(name = "_type") StringType type,
      ServletRequestDetails request)
      throws IOException {
    kickOff(outputFormat, since, type, request, Optional::empty);
  }

  /** Every patient's compartment: today the same resources as a system-level export. */
  @Operation(name = "$export", type = Patient.class, idempotent = true, manualResponse = true)
  public void exportPatients(
      @OperationParam(name = "_outputFormat") StringType outputFormat,
      @OperationParam(name = "_since") InstantType since,
      @OperationParam(name = "_type") StringType type,
      ServletRequestDetails request)
      throws IOException {
    kickOff(outputFormat, since, type, request, Optional::empty);
  }

  /**
   * The compartments of a group's members: the patients on the ward now, their Devices and their
   * readings. Who the members are is settled at kick-off.
   */
  @Operation(name = "$export", type = Group.class, idempotent = true, manualResponse = true)
  public void exportGroup(
      @IdParam IdType id,
      @OperationParam(name = "_outputFormat") StringType outputFormat,
      @OperationParam(name = "_since") InstantType since,
      @OperationParam(name = "_type") StringType type,
      ServletRequestDetails request)
      throws IOException {
    kickOff(
        outputFormat,
        since,
        type,
        request,
        () ->
            Optional.of(
                groups
                    .find(id.getIdPart())
                    .orElseThrow(() -> new ResourceNotFoundException(id))
                    .members()));
  }

  /**
   * Checks and queues an export.
   *
   * @param patients whose data (looked up once the caller is known to be a system), or empty for
   *     every patient's
   */
  private void kickOff(
      StringType outputFormat,
      InstantType since,
      StringType type,
      ServletRequestDetails request,
      Supplier<Optional<Set<String>>> patients)
      throws IOException {
    String prefer = request.getHeader("Prefer");
    if (prefer == null || !prefer.contains("respond-async")) {
      throw new InvalidRequestException(
          "a bulk export is asynchronous: send the header 'Prefer: respond-async'");
    }
    if (outputFormat != null && !NDJSON.contains(outputFormat.getValue())) {
      throw new InvalidRequestException(
          "_outputFormat '"
              + outputFormat.getValue()
              + "' is not offered; use application/fhir+ndjson");
    }
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    if (!(request.getUserData().get(PatientCompartmentRules.SCOPE)
            instanceof PatientAccess.Scope scope)
        || !scope.allPatients()) {
      throw new ForbiddenOperationException("bulk export is for systems (backend services)");
    }
    Set<String> types = types(type, caller);
    Optional<Set<String>> members = patients.get();
    AuditAgent agent = agents.current();
    BulkExport export =
        exports.start(
            agent.type() + ":" + agent.id(),
            types,
            Optional.ofNullable(since).map(s -> s.getValue().toInstant()),
            members,
            request.getCompleteUrl());
    HttpServletResponse response = request.getServletResponse();
    response.setStatus(202);
    response.setHeader(
        "Content-Location",
        request.getServletRequest().getRequestURL().toString().replaceFirst("/fhir/.*$", "")
            + STATUS_PATH
            + export.id());
    response.setContentType("application/fhir+json");
    OperationOutcome accepted = new OperationOutcome();
    accepted
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
        .setCode(OperationOutcome.IssueType.INFORMATIONAL)
        .setDiagnostics("export " + export.id() + " accepted: " + String.join(", ", types));
    response.getWriter().write(fhir.newJsonParser().encodeResourceToString(accepted));
  }

  /** The types asked for, or all Vigil exports; each must be one the caller may read. */
  private static Set<String> types(StringType type, Authentication caller) {
    Set<String> types = new LinkedHashSet<>();
    if (type == null || type.getValue() == null || type.getValue().isBlank()) {
      for (String one : BulkExports.TYPES) {
        if (ScopeAuthorization.grantsOnFhir(caller, one, 'r')) {
          types.add(one);
        }
      }
      if (types.isEmpty()) {
        throw new ForbiddenOperationException("the access token lets the client read nothing");
      }
      return types;
    }
    for (String one : type.getValue().split(",")) {
      String name = one.trim();
      if (!BulkExports.TYPES.contains(name)) {
        throw new InvalidRequestException(
            "_type '"
                + name
                + "' is not exported; Vigil exports "
                + String.join(", ", BulkExports.TYPES));
      }
      if (!ScopeAuthorization.grantsOnFhir(caller, name, 'r')) {
        throw new ForbiddenOperationException(
            "the access token has no scope allowing reads of "
                + name
                + " (e.g. system/"
                + name
                + ".r)");
      }
      types.add(name);
    }
    return types;
  }
}
