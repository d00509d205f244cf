package org.vigil.security;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;

/**
 * Reads an external issuer's tokens in Vigil's terms: the person's role from whichever configured
 * claim names one, their user name, and a patient's own record. The result carries Vigil's own
 * claims ({@code vigil_role}, {@code sub}, {@code patient}), so everything after the decoder treats
 * external and own tokens alike.
 */
final class ExternalClaims implements Converter<Map<String, Object>, Map<String, Object>> {

  private static final Set<String> ROLES =
      Set.of("admin", "clinician", "nurse", "patient", "integration");

  private final OidcProperties oidc;
  private final MappedJwtClaimSetConverter standard =
      MappedJwtClaimSetConverter.withDefaults(Map.of());

  ExternalClaims(OidcProperties oidc) {
    this.oidc = oidc;
  }

  @Override
  public Map<String, Object> convert(Map<String, Object> claims) {
    Map<String, Object> mapped = new HashMap<>(standard.convert(claims));
    mapped.remove(PatientAccess.ROLE_CLAIM);
    role(claims)
        .ifPresent(role -> {
          mapped.put(PatientAccess.ROLE_CLAIM, role);
          first(claims, oidc.usernameClaims()).ifPresent(name -> mapped.put("sub", name));
          Object patient = claims.get(oidc.patientClaim());
          if (patient instanceof String own) {
            mapped.put(PatientAccess.PATIENT_CLAIM, own);
          }
        });
    return mapped;
  }

  private Optional<String> role(Map<String, Object> claims) {
    for (String claim : oidc.roleClaims()) {
      Object value = reach(claims, claim);
      Collection<?> values =
          value instanceof Collection<?> many ? many : value == null ? Set.of() : Set.of(value);
      Set<String> named =
          values.stream()
              .map(v -> String.valueOf(v).toLowerCase(Locale.ROOT))
              .filter(ROLES::contains)
              .collect(Collectors.toSet());
      // the most specific role wins when a person has several
      for (String role : new String[] {"patient", "clinician", "nurse", "admin", "integration"}) {
        if (named.contains(role)) {
          return Optional.of(role);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> first(Map<String, Object> claims, Iterable<String> names) {
    for (String name : names) {
      if (claims.get(name) instanceof String value && !value.isBlank()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private static Object reach(Map<String, Object> claims, String dotted) {
    Object current = claims;
    for (String part : dotted.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(part);
    }
    return current;
  }
}
