package org.vigil.alarm;

import java.time.Instant;

/**
 * An alarm as the REST API, the live stream and outbound webhooks show it: plain strings, nulls
 * where unknown; {@code kind} tells technical alarms (the device) from clinical ones (the patient).
 */
public record AlarmView(
    long id,
    String patientId,
    String condition,
    String kind,
    String priority,
    String status,
    String summary,
    Instant raisedAt,
    Instant updatedAt,
    String acknowledgedBy,
    Instant acknowledgedAt,
    String resolvedBy,
    Instant resolvedAt,
    String resolution,
    int escalation,
    String escalatedTo,
    Instant snoozedUntil) {

  static AlarmView of(Alarm a) {
    return of(a, null);
  }

  /** The alarm, with whom it is with on the escalation chain ({@link AlarmProperties#stepName}). */
  public static AlarmView of(Alarm a, String escalatedTo) {
    return new AlarmView(
        a.id(),
        a.patientId(),
        a.condition(),
        TechnicalAlarms.isTechnical(a.condition()) ? "technical" : "clinical",
        a.priority().code(),
        a.status().code(),
        a.summary(),
        a.raisedAt(),
        a.updatedAt(),
        a.acknowledgedBy().orElse(null),
        a.acknowledgedAt().orElse(null),
        a.resolvedBy().orElse(null),
        a.resolvedAt().orElse(null),
        a.resolution().orElse(null),
        a.escalation(),
        escalatedTo,
        a.snoozedUntil().orElse(null));
  }
}
