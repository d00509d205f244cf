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
 * patient their own record; a nurse or clinician the patients on the wards they work on and of the
 * care teams they belong to, and any they have opened by break-glass; anyone else no patient at
 * all.
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
   * @param breakGlass those of the patients opened by break-glass, not by the person's wards
   */
  public record Scope(
      boolean allPatients, Set<String> patients, Optional<Role> role, Set<String> breakGlass) {

    public boolean mayAccess(String patientId) {
      return allPatients || patients.contains(patientId);
    }
  }

  private final UserAccounts users;
  private final PatientRepository patients;
  private final BreakGlass breakGlass;
  private final CareTeams careTeams;

  PatientAccess(
      UserAccounts users, PatientRepository patients, BreakGlass breakGlass, CareTeams careTeams) {
    this.users = users;
    this.patients = patients;
    this.breakGlass = breakGlass;
    this.careTeams = careTeams;
  }

  public Scope of(Authentication caller) {
    Optional<Role> role = roleOf(caller);
    if (role.isEmpty()) {
      return new Scope(
          caller != null && caller.isAuthenticated(), Set.of(), Optional.empty(), Set.of());
    }
    return switch (role.get()) {
      case PATIENT -> {
        String own = ((JwtAuthenticationToken) caller).getToken().getClaimAsString(PATIENT_CLAIM);
        yield new Scope(false, own == null ? Set.of() : Set.of(own), role, Set.of());
      }
      case NURSE, CLINICIAN -> staff(caller.getName(), role.get());
      default -> new Scope(false, Set.of(), role, Set.of());
    };
  }

  /**
   * What a person may see now, by name, for work done on their behalf outside any request of theirs
   * (a FHIR Subscription's deliveries): as {@link #of} would give them, from their account as it is
   * now. Nobody once the account is disabled or removed.
   */
  public Scope ofUser(String username) {
    Optional<UserAccount> account = users.find(username).filter(UserAccount::enabled);
    if (account.isEmpty()) {
      return new Scope(false, Set.of(), Optional.of(Role.DEVICE), Set.of());
    }
    Role role = account.get().role();
    return switch (role) {
      case PATIENT ->
          new Scope(
              false,
              account.get().patientId().map(Set::of).orElse(Set.of()),
              Optional.of(role),
              Set.of());
      case NURSE, CLINICIAN -> staff(username, role);
      default -> new Scope(false, Set.of(), Optional.of(role), Set.of());
    };
  }

  private Scope staff(String username, Role role) {
    Set<String> onWards = new java.util.HashSet<>(patients.idsOnWards(users.wardsOf(username)));
    onWards.addAll(careTeams.patientsOf(username));
    Set<String> opened = new java.util.HashSet<>(breakGlass.openPatients(username));
    opened.removeAll(onWards);
    Set<String> all = new java.util.HashSet<>(onWards);
    all.addAll(opened);
    return new Scope(false, Set.copyOf(all), Optional.of(role), Set.copyOf(opened));
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
