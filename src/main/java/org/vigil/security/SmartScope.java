package org.vigil.security;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SMART on FHIR resource scope, v1 ({@code system/Observation.read}) or v2 ({@code
 * system/Observation.rs}) syntax.
 *
 * @param context {@code patient}, {@code user} or {@code system}
 * @param resourceType a FHIR resource type, or {@code *}
 * @param permissions the v2 letters granted, among {@code c r u d s}
 */
public record SmartScope(String context, String resourceType, String permissions) {

  private static final Pattern SCOPE =
      Pattern.compile("(patient|user|system)/([A-Za-z]+|\\*)\\.(read|write|\\*|c?r?u?d?s?)");

  public static Optional<SmartScope> parse(String scope) {
    Matcher m = SCOPE.matcher(scope);
    if (!m.matches() || m.group(3).isEmpty()) {
      return Optional.empty();
    }
    String permissions =
        switch (m.group(3)) {
          case "read" -> "rs";
          case "write" -> "cud";
          case "*" -> "cruds";
          default -> m.group(3);
        };
    return Optional.of(new SmartScope(m.group(1), m.group(2), permissions));
  }

  /**
   * Types a wildcard does not reach: the audit trail says who looked at whose data, so reading it
   * takes a scope that names it ({@code system/AuditEvent.rs}), not an integration's {@code
   * system/*.rs}.
   */
  static final java.util.Set<String> NAMED_ONLY = java.util.Set.of("AuditEvent");

  /** Whether this scope lets its holder do {@code permission} on {@code type}. */
  public boolean permits(String type, char permission) {
    boolean typeMatches =
        resourceType.equals(type) || (resourceType.equals("*") && !NAMED_ONLY.contains(type));
    return typeMatches && permissions.indexOf(permission) >= 0;
  }
}
