package org.vigil.alarm;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One alarm: a patient's condition that needs someone's attention. There is at most one open alarm
 * per patient and condition; a repeat of the condition updates it rather than raising another.
 *
 * @param id stable id
 * @param patientId whose
 * @param condition what, e.g. {@code news2}
 * @param priority the highest priority its condition reached while it was open
 * @param status active, acknowledged or resolved
 * @param summary what a nurse reads on the alarm panel, e.g. "NEWS2 7 (high clinical risk)"
 * @param raisedAt when it was raised
 * @param updatedAt when it last changed
 * @param acknowledgedBy who acknowledged it, once someone has
 * @param acknowledgedAt when
 * @param resolvedBy who resolved it; empty when it resolved itself or is still open
 * @param resolvedAt when it was resolved
 * @param resolution why: the clinician's reason, or that the condition cleared
 * @param escalation how many steps up the escalation chain it has gone unacknowledged (0: still
 *     with the ward's nurses)
 * @param snoozedUntil until when someone silenced it, with a reason; it stays open meanwhile
 */
public record Alarm(
    long id,
    String patientId,
    String condition,
    AlarmPriority priority,
    AlarmStatus status,
    String summary,
    Instant raisedAt,
    Instant updatedAt,
    Optional<String> acknowledgedBy,
    Optional<Instant> acknowledgedAt,
    Optional<String> resolvedBy,
    Optional<Instant> resolvedAt,
    Optional<String> resolution,
    int escalation,
    Optional<Instant> snoozedUntil) {

  public Alarm {
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(raisedAt, "raisedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(acknowledgedBy, "acknowledgedBy");
    Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
    Objects.requireNonNull(resolvedBy, "resolvedBy");
    Objects.requireNonNull(resolvedAt, "resolvedAt");
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(snoozedUntil, "snoozedUntil");
  }

  /** Silenced by a snooze at that moment. */
  public boolean snoozedAt(Instant now) {
    return snoozedUntil.map(now::isBefore).orElse(false);
  }
}
