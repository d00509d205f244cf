package org.vigil.audit;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What is to be recorded about one access or change, before it takes its place in the chain.
 *
 * @param category what kind of event: {@code fhir}, {@code rest}, {@code login}, {@code device}
 * @param action {@code C} create, {@code R} read, {@code U} update, {@code D} delete, {@code E}
 *     execute (a search, an export, a login), as FHIR AuditEvent.action
 * @param outcome {@code 0} success, {@code 4} minor failure (refused), {@code 8} serious failure,
 *     as FHIR AuditEvent.outcome
 * @param agent who
 * @param patients whose data it touched; empty when none
 * @param what the interaction and its target, e.g. {@code search-type Observation
 *     ?patient=p1&code=8867-4} or {@code rotate device monitor-1}
 * @param detail why it failed, a break-glass reason, or nothing
 */
public record AuditEntry(
    String category,
    String action,
    int outcome,
    AuditAgent agent,
    Set<String> patients,
    String what,
    Optional<String> detail) {

  public static final int SUCCESS = 0;
  public static final int MINOR_FAILURE = 4;
  public static final int SERIOUS_FAILURE = 8;

  public AuditEntry {
    Objects.requireNonNull(category, "category");
    if (!Set.of("C", "R", "U", "D", "E").contains(action)) {
      throw new IllegalArgumentException("action must be one of C R U D E: " + action);
    }
    Objects.requireNonNull(agent, "agent");
    patients = Set.copyOf(patients);
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(detail, "detail");
    what = clip(what);
    detail = detail.map(AuditEntry::clip);
  }

  private static String clip(String text) {
    return text.length() <= 2000 ? text : text.substring(0, 1999) + "…";
  }
}
