package org.vigil.ingest;

import java.time.Duration;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.vigil.api.ApiException;

/** The device sends faster than it may; the message was not accepted and should be sent later. */
public final class RateLimitedException extends ApiException {

  private final Duration retryAfter;

  public RateLimitedException(String deviceId, int perSecond, Duration retryAfter) {
    super(
        HttpStatus.TOO_MANY_REQUESTS,
        IssueType.THROTTLED,
        "device "
            + deviceId
            + " sends more than "
            + perSecond
            + " messages per second; retry after "
            + Math.max(1, retryAfter.toMillis())
            + " ms");
    this.retryAfter = retryAfter;
  }

  @Override
  public java.util.Optional<Duration> retryAfter() {
    return java.util.Optional.of(retryAfter);
  }
}
