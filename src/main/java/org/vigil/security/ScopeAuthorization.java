package org.vigil.security;

import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Authorizes a REST endpoint by the SMART scopes of the caller's token, the same way the FHIR API
 * does: {@code system/Device.c} lets a system register devices, {@code system/*.rs} read them. A
 * person's {@code user/…} scopes count only for administrators and integration engineers: nurses,
 * clinicians and patients do not administer devices here.
 */
public final class ScopeAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

  private final String resourceType;
  private final char permission;

  private ScopeAuthorization(String resourceType, char permission) {
    this.resourceType = resourceType;
    this.permission = permission;
  }

  /** Requires a system scope granting {@code permission} (one of c r u d s) on the type. */
  public static ScopeAuthorization require(String resourceType, char permission) {
    return new ScopeAuthorization(resourceType, permission);
  }

  /** Whether the authentication carries a system scope granting the permission on the type. */
  public static boolean grants(Authentication caller, String resourceType, char permission) {
    if (caller == null || !caller.isAuthenticated()) {
      return false;
    }
    return PatientAccess.roleOf(caller).isEmpty()
        && scopes(caller)
            .anyMatch(s -> s.context().equals("system") && s.permits(resourceType, permission));
  }

  /**
   * Whether the caller may administer (devices, dead letters, templates) with the permission on the
   * type: a system by its {@code system/…} scopes, an administrator or integration engineer by
   * their {@code user/…} scopes. Nurses, clinicians and patients do not administer here.
   */
  public static boolean administers(Authentication caller, String resourceType, char permission) {
    if (caller == null || !caller.isAuthenticated()) {
      return false;
    }
    Optional<Role> role = PatientAccess.roleOf(caller);
    if (role.isEmpty()) {
      return grants(caller, resourceType, permission);
    }
    return (role.get() == Role.ADMIN || role.get() == Role.INTEGRATION)
        && scopes(caller)
            .anyMatch(s -> s.context().equals("user") && s.permits(resourceType, permission));
  }

  /**
   * Whether the caller's scopes grant the permission on a FHIR resource type. A system's token
   * counts its {@code system/…} scopes; a person's token its {@code user/…} scopes (staff) or
   * {@code patient/…} scopes (patients) — which patients they reach is {@link PatientAccess}'s
   * business.
   */
  public static boolean grantsOnFhir(Authentication caller, String resourceType, char permission) {
    if (caller == null || !caller.isAuthenticated()) {
      return false;
    }
    Optional<Role> role = PatientAccess.roleOf(caller);
    String context = role.isEmpty() ? "system" : role.get() == Role.PATIENT ? "patient" : "user";
    return scopes(caller)
        .anyMatch(s ->
            s.context().equals(context)
                && (resourceType == null
                    ? s.permissions().indexOf(permission) >= 0
                    : s.permits(resourceType, permission)));
  }

  private static java.util.stream.Stream<SmartScope> scopes(Authentication caller) {
    return caller.getAuthorities().stream()
        .map(GrantedAuthority::getAuthority)
        .filter(a -> a != null && a.startsWith("SCOPE_"))
        .map(a -> SmartScope.parse(a.substring("SCOPE_".length())))
        .flatMap(Optional::stream);
  }

  @Override
  public AuthorizationDecision authorize(
      Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
    return new AuthorizationDecision(administers(authentication.get(), resourceType, permission));
  }
}
