package org.vigil.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;
import org.vigil.security.ScopeAuthorization;

/**
 * Checks every FHIR interaction against the SMART scopes of the caller's access token: {@code
 * system/…} scopes for systems, {@code user/…} for staff and {@code patient/…} for patients signed
 * in through the web app. Which patients a person reaches is checked next, by {@link
 * PatientCompartmentRules}.
 */
@Interceptor
class ScopeInterceptor {

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void authorize(RequestDetails request, RestOperationTypeEnum operation) {
    if (operation == RestOperationTypeEnum.METADATA) {
      return;
    }
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    if (caller == null || !caller.isAuthenticated()) {
      throw new AuthenticationException("a bearer token is required");
    }
    if ((operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH)
        && request.getResource() instanceof Bundle bundle) {
      // Each entry is its own interaction: creating Observations takes a scope that allows it.
      for (int i = 0; i < bundle.getEntry().size(); i++) {
        Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
        if (entry.getRequest().getMethod() == null) {
          // without it neither the scope nor the compartment rules can tell what the entry does
          String at = "Bundle.entry[" + i + "].request.method";
          OperationOutcome outcome = new OperationOutcome();
          outcome
              .addIssue()
              .setSeverity(OperationOutcome.IssueSeverity.ERROR)
              .setCode(OperationOutcome.IssueType.REQUIRED)
              .setDiagnostics(at + " is required (POST to create)")
              .addExpression(at);
          throw new InvalidRequestException(at + " is required (POST to create)", outcome);
        }
        char permission = permission(entry.getRequest().getMethod());
        String type = entry.hasResource() ? entry.getResource().fhirType() : null;
        require(caller, type, permission);
      }
      return;
    }
    char permission = permission(operation);
    String type = request.getResourceName();
    String[] pageId = request.getParameters().get(Constants.PARAM_PAGEID);
    if (type == null && pageId != null && ObservationPageToken.isObservationPage(pageId[0])) {
      // A further page of an Observation search is served from its page id alone: check it as
      // the search it continues.
      type = "Observation";
    } else if (type == null && pageId != null && EverythingPageToken.isEverythingPage(pageId[0])) {
      // A further page of a patient's $everything: checked as the operation on Patient it
      // continues (the types it holds are checked again when it is served).
      type = "Patient";
    }
    // Without a type (a further page of a search kept in memory) any scope of the caller's kind
    // with the permission will do: the search that made the page was checked against its type.
    require(caller, type, permission);
  }

  private static void require(Authentication caller, String type, char permission) {
    boolean allowed = ScopeAuthorization.grantsOnFhir(caller, type, permission);
    if (!allowed) {
      throw new ForbiddenOperationException(
          "the access token has no scope allowing "
              + describe(permission)
              + (type == null ? "" : " of " + type)
              + " (e.g. "
              + PatientAccess.roleOf(caller)
                  .map(role -> role == Role.PATIENT ? "patient/" : "user/")
                  .orElse("system/")
              + (type == null ? "*" : type)
              + "."
              + permission
              + ")");
    }
  }

  private static char permission(Bundle.HTTPVerb method) {
    return switch (method) {
      case POST, NULL -> 'c';
      case PUT, PATCH -> 'u';
      case DELETE -> 'd';
      case GET, HEAD -> 'r';
    };
  }

  private static char permission(RestOperationTypeEnum operation) {
    return switch (operation) {
      case READ, VREAD, HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM -> 'r';
      case CREATE -> 'c';
      case UPDATE, PATCH -> 'u';
      case DELETE -> 'd';
      default -> 's';
    };
  }

  private static String describe(char permission) {
    return switch (permission) {
      case 'r' -> "reads";
      case 'c' -> "creates";
      case 'u' -> "updates";
      case 'd' -> "deletes";
      default -> "searches";
    };
  }
}
