package org.vigil.api;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;

/**
 * An error a REST endpoint answers with a definite status and a message meant for the caller. The
 * message must not contain secrets or patient-identifying data.
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final IssueType type;

  public ApiException(HttpStatus status, IssueType type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  public HttpStatus status() {
    return status;
  }

  public IssueType type() {
    return type;
  }

  /** When the caller may try again, for errors that pass (rate limits). */
  public java.util.Optional<java.time.Duration> retryAfter() {
    return java.util.Optional.empty();
  }
}
