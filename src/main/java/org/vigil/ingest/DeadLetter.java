package org.vigil.ingest;

import java.time.Instant;
import java.util.Optional;

/**
 * A message Vigil could not read, kept with the reason so that nothing is dropped silently and an
 * integration engineer can replay it once the cause is fixed (a template loaded, a device
 * assigned).
 *
 * @param id the dead letter's id
 * @param deviceId the sending device, when known
 * @param transport {@code http}, {@code mqtt}, {@code mllp}
 * @param content what kind of message ({@code json}, {@code gatt/2A37}, {@code hl7v2})
 * @param receivedAt when it arrived
 * @param reason why it could not be read
 * @param payloadSize the size of the message as received
 * @param truncated whether only the first bytes were kept (then it cannot be replayed)
 * @param replayedAt when it was last replayed, if it was
 * @param replayOutcome what the last replay gave
 */
public record DeadLetter(
    long id,
    Optional<String> deviceId,
    String transport,
    String content,
    Instant receivedAt,
    String reason,
    int payloadSize,
    boolean truncated,
    Optional<Instant> replayedAt,
    Optional<String> replayOutcome) {}
