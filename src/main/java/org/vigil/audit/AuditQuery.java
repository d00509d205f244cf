package org.vigil.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Which audit events to read.
 *
 * @param patientId events that touched this patient's data (the accounting of disclosures)
 * @param agentId events by this user, client or device
 * @param from recorded at or after
 * @param to recorded at or before
 * @param offset events to skip
 * @param limit events to return at most
 */
public record AuditQuery(
    Optional<String> patientId,
    Optional<String> agentId,
    Optional<Instant> from,
    Optional<Instant> to,
    int offset,
    int limit) {

  public AuditQuery {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
  }

  public static AuditQuery all() {
    return new AuditQuery(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 100);
  }

  public AuditQuery forPatient(String patient) {
    return new AuditQuery(Optional.of(patient), agentId, from, to, offset, limit);
  }

  public AuditQuery byAgent(String agent) {
    return new AuditQuery(patientId, Optional.of(agent), from, to, offset, limit);
  }

  public AuditQuery between(Optional<Instant> newFrom, Optional<Instant> newTo) {
    return new AuditQuery(patientId, agentId, newFrom, newTo, offset, limit);
  }

  public AuditQuery page(int newOffset, int newLimit) {
    return new AuditQuery(patientId, agentId, from, to, newOffset, newLimit);
  }
}
