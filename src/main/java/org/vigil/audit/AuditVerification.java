package org.vigil.audit;

import java.util.Optional;

/**
 * The result of checking the audit chain.
 *
 * @param intactEvents events verified from the first up to the first break (all of them when
 *     intact)
 * @param firstBrokenEvent the first event that is missing, altered or relinked
 * @param problem what is wrong there
 */
public record AuditVerification(
    long intactEvents, Optional<Long> firstBrokenEvent, Optional<String> problem) {

  static AuditVerification intact(long events) {
    return new AuditVerification(events, Optional.empty(), Optional.empty());
  }

  static AuditVerification broken(long intactEvents, long event, String problem) {
    return new AuditVerification(intactEvents, Optional.of(event), Optional.of(problem));
  }

  public boolean isIntact() {
    return firstBrokenEvent.isEmpty();
  }
}
