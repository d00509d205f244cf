package org.vigil.security;

import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.vigil.patient.PatientRepository;

/**
 * Whose data the caller may see. A system (an access token from the client-credentials grant,
 * authorized by its {@code system/…} scopes) sees every patient. A person sees by who they are: a
 * patient their own record; a nurse or clinician the patients on the wards they work on; anyone
 * else no patient at all.
 */
@Component
public class PatientAccess {

  /** Claim naming the role of the person an access token was issued to. */
  public static final String ROLE_CLAIM = "vigil_role";

  /** Claim naming a patient's own record, on tokens issued to patients (SMART's launch context). */
  public static final String PATIENT_CLAIM = "patient";

  /**
   * @param allPatients a system: no patient restriction (its scopes still apply)
   * @param patients the patients a person may see
   * @param role the person's role, when it is a person
   */
  public record Scope(boolean allPatients, Set<String> patients, Optional<Role> role) {

    public boolean mayAccess(String patientId) {
      return allPatients || patients.contains(patientId);
    }
  }

  private final UserAccounts users;
  private final PatientRepository patients;

  PatientAccess(UserAccounts users, PatientRepository patients) {
    this.users = users;
    this.patients = patients;
  }

  public Scope of(Authentication caller) {
    Optional<Role> role = roleOf(caller);
    if (role.isEmpty()) {
      return new Scope(caller != null && caller.isAuthenticated(), Set.of(), Optional.empty());
    }
    return switch (role.get()) {
      case PATIENT -> {
        String own = ((JwtAuthenticationToken) caller).getToken().getClaimAsString(PATIENT_CLAIM);
        yield new Scope(false, own == null ? Set.of() : Set.of(own), role);
      }
      case NURSE, CLINICIAN ->
          new Scope(false, patients.idsOnWards(users.wardsOf(caller.getName())), role);
      default -> new Scope(false, Set.of(), role);
    };
  }

  /** The role of the person a token was issued to; empty for a system's token. */
  public static Optional<Role> roleOf(Authentication caller) {
    if (caller instanceof JwtAuthenticationToken jwt) {
      String role = jwt.getToken().getClaimAsString(ROLE_CLAIM);
      if (role != null) {
        try {
          return Optional.of(Role.valueOf(role.toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          return Optional.of(Role.DEVICE); // an unknown role sees nothing
        }
      }
    }
    return Optional.empty();
  }
}
