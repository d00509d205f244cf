package org.vigil.telemedicine;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;

/**
 * A person acting on a visit: who they are, their role, and the patients they may see. Systems book
 * no visits and join none: a visit is between two people.
 */
public record VisitCaller(
    String username, Role role, Optional<String> patientId, PatientAccess.Scope scope) {

  public static Optional<VisitCaller> of(Authentication caller, PatientAccess access) {
    if (caller == null) {
      return Optional.empty();
    }
    PatientAccess.Scope scope = access.of(caller);
    Optional<Role> role = scope.role();
    if (role.isEmpty()
        || !(role.get() == Role.PATIENT
            || role.get() == Role.NURSE
            || role.get() == Role.CLINICIAN)) {
      return Optional.empty();
    }
    Optional<String> own =
        role.get() == Role.PATIENT ? scope.patients().stream().findFirst() : Optional.empty();
    if (role.get() == Role.PATIENT && own.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new VisitCaller(caller.getName(), role.get(), own, scope));
  }

  /** A nurse or clinician: the side that offers slots, invites, admits and documents. */
  public boolean isStaff() {
    return role == Role.NURSE || role == Role.CLINICIAN;
  }

  /** The side of the visit, as the signalling and the web app name it. */
  public String side() {
    return isStaff() ? "clinician" : "patient";
  }
}
