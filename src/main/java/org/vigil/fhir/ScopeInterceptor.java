package org.vigil.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.vigil.security.ScopeAuthorization;
import org.vigil.security.SmartScope;

/**
 * Checks every FHIR interaction against the SMART scopes of the caller's access token. For now only
 * system-level scopes ({@code system/Observation.rs}) grant access: patient- and user-level scopes
 * need per-patient authorization, and until that is in place they are refused rather than
 * half-honoured.
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
    char permission = permission(operation);
    String type = request.getResourceName();
    // Without a type (a further page of a search) any system scope with the permission will do:
    // the search that made the page was checked against its type.
    boolean allowed =
        type == null
            ? anyTypeGrants(caller, permission)
            : ScopeAuthorization.grants(caller, type, permission);
    if (!allowed) {
      throw new ForbiddenOperationException(
          "the access token has no system-level scope allowing "
              + describe(permission)
              + (type == null ? "" : " of " + type)
              + " (e.g. system/"
              + (type == null ? "*" : type)
              + "."
              + permission
              + ")");
    }
  }

  private static boolean anyTypeGrants(Authentication caller, char permission) {
    return caller.getAuthorities().stream()
        .map(GrantedAuthority::getAuthority)
        .filter(a -> a != null && a.startsWith("SCOPE_"))
        .map(a -> SmartScope.parse(a.substring("SCOPE_".length())))
        .flatMap(Optional::stream)
        .anyMatch(s -> s.context().equals("system") && s.permissions().indexOf(permission) >= 0);
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
