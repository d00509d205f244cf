package org.vigil.fhir.subscription;

import java.util.Objects;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.vigil.security.PatientAccess;

/**
 * Whose a subscription is: a person ({@code user}, by user name) or a system ({@code client}, by
 * client id). Only the owner reads, deletes or binds to it, and it delivers only what the owner may
 * see at the time.
 */
record Owner(String type, String id) {

  static final String USER = "user";
  static final String CLIENT = "client";

  Owner {
    if (!Set.of(USER, CLIENT).contains(type)) {
      throw new IllegalArgumentException("an owner is a user or a client, not " + type);
    }
    Objects.requireNonNull(id, "id");
  }

  static Owner of(Authentication caller) {
    return new Owner(PatientAccess.roleOf(caller).isPresent() ? USER : CLIENT, caller.getName());
  }

  @Override
  public String toString() {
    return type + " " + id;
  }
}
