package org.vigil.security;

import java.util.Objects;
import java.util.Optional;

/**
 * A person who signs in to Vigil.
 *
 * @param username unique sign-in name
 * @param role what they are to Vigil
 * @param displayName how to address them
 * @param patientId for patients, their own record
 * @param enabled whether they may sign in
 */
public record UserAccount(
    String username, Role role, String displayName, Optional<String> patientId, boolean enabled) {

  public UserAccount {
    if (username == null || !username.matches("[A-Za-z0-9._@-]{1,100}")) {
      throw new IllegalArgumentException(
          "a username is 1 to 100 letters, digits, '.', '_', '@' or '-'");
    }
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(patientId, "patientId");
    if (role == Role.PATIENT && patientId.isEmpty()) {
      throw new IllegalArgumentException("a patient account must name the patient");
    }
  }

  /** Keeps names out of logs. */
  @Override
  public String toString() {
    return "UserAccount[username=" + username + ", role=" + role + "]";
  }
}
