package org.vigil.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * An external OpenID Connect issuer (Keycloak, Entra ID, another Vigil) that Vigil trusts instead
 * of its own authorization server.
 *
 * @param issuer the issuer URL; empty means Vigil issues its own tokens
 * @param audience the audience tokens must carry; empty means any
 * @param roleClaims claims, tried in order, that may name a person's Vigil role (admin, clinician,
 *     nurse, patient, integration); a dotted name reaches into an object ({@code
 *     realm_access.roles}, Keycloak's). A token none of them names a role in is a system's
 * @param usernameClaims claims, tried in order, naming the person: it must match the Vigil user
 *     whose wards decide what they see
 * @param patientClaim the claim naming a patient's own record
 */
@ConfigurationProperties("vigil.security.oidc")
public record OidcProperties(
    @DefaultValue("") String issuer,
    @DefaultValue("") String audience,
    @DefaultValue({"vigil_role", "roles", "realm_access.roles"}) List<String> roleClaims,
    @DefaultValue({"preferred_username", "sub"}) List<String> usernameClaims,
    @DefaultValue("patient") String patientClaim) {

  public boolean external() {
    return !issuer.isBlank();
  }
}
