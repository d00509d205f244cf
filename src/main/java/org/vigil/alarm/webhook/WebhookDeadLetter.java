package org.vigil.alarm.webhook;

import java.time.Instant;
import java.util.Optional;

/**
 * An alarm change a webhook endpoint did not take, after the last attempt or at once when it
 * refused it (a 4xx), kept so that it can be replayed once the receiver is fixed.
 *
 * @param id the dead letter's id
 * @param endpoint the webhook's URL
 * @param eventId the change's id, as in the payload ({@code eventId}): the same on a replay
 * @param event the change: raised, updated, acknowledged, resolved, escalated, snoozed
 * @param alarmId the alarm
 * @param lastStatus the last HTTP status, when the receiver answered at all
 * @param lastError what went wrong the last time, in words
 * @param attempts how many attempts were made
 * @param failedAt when it was given up
 * @param replayedAt when it was last replayed, if it was
 * @param replayOutcome what the last replay gave
 * @param delivered whether a replay has delivered it since
 */
record WebhookDeadLetter(
    long id,
    String endpoint,
    String eventId,
    String event,
    long alarmId,
    Optional<Integer> lastStatus,
    String lastError,
    int attempts,
    Instant failedAt,
    Optional<Instant> replayedAt,
    Optional<String> replayOutcome,
    boolean delivered) {}
