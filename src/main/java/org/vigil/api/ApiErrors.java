package org.vigil.api;

import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.vigil.log.IngestLogUnavailableException;
import org.vigil.normalize.InvalidMessageException;

/**
 * Turns every failure of a REST endpoint into an OperationOutcome with a precise status. Nothing
 * internal reaches the caller: unexpected failures answer 500 with a reference id that is also in
 * the log, next to the cause.
 */
@RestControllerAdvice
class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private final OperationOutcomes outcomes;

  ApiErrors(OperationOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  @ExceptionHandler
  ResponseEntity<String> invalidMessage(InvalidMessageException e) {
    List<OperationOutcomes.Issue> issues =
        e.problems().stream()
            .map(p -> new OperationOutcomes.Issue(IssueType.INVALID, p.describe(), p.location()))
            .toList();
    return outcomes.response(HttpStatus.BAD_REQUEST, issues);
  }

  @ExceptionHandler
  ResponseEntity<String> api(ApiException e) {
    ResponseEntity<String> response = outcomes.response(e.status(), e.type(), e.getMessage());
    if (e.retryAfter().isEmpty()) {
      return response;
    }
    long seconds = Math.max(1, (e.retryAfter().get().toMillis() + 999) / 1000);
    return ResponseEntity.status(response.getStatusCode())
        .headers(response.getHeaders())
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .body(response.getBody());
  }

  @ExceptionHandler
  ResponseEntity<String> unavailable(IngestLogUnavailableException e) {
    ResponseEntity<String> response =
        outcomes.response(HttpStatus.SERVICE_UNAVAILABLE, IssueType.TRANSIENT, e.getMessage());
    return ResponseEntity.status(response.getStatusCode())
        .headers(response.getHeaders())
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(response.getBody());
  }

  @ExceptionHandler
  ResponseEntity<String> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
    return outcomes.response(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        IssueType.NOTSUPPORTED,
        "content type "
            + e.getContentType()
            + " is not accepted here; send "
            + e.getSupportedMediaTypes());
  }

  @ExceptionHandler
  ResponseEntity<String> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
    return outcomes.response(
        HttpStatus.METHOD_NOT_ALLOWED,
        IssueType.NOTSUPPORTED,
        e.getMethod() + " is not supported here");
  }

  @ExceptionHandler
  ResponseEntity<String> notFound(NoResourceFoundException e) {
    return outcomes.response(
        HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no such endpoint: /" + e.getResourcePath());
  }

  @ExceptionHandler
  ResponseEntity<String> tooLarge(MaxUploadSizeExceededException e) {
    return outcomes.response(
        HttpStatus.PAYLOAD_TOO_LARGE, IssueType.TOOLONG, "the upload is larger than Vigil takes");
  }

  /**
   * A live stream's client went away (a closed tab, a lost network) while Vigil was writing to it:
   * nobody is left to answer, and it is no failure of Vigil's.
   */
  @ExceptionHandler
  void clientGone(AsyncRequestNotUsableException e) {
    log.debug("A client went away during a response: {}", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<String> unexpected(Exception e) {
    String reference = UUID.randomUUID().toString();
    log.error("Unexpected failure, reference {}", reference, e);
    return outcomes.response(
        HttpStatus.INTERNAL_SERVER_ERROR,
        IssueType.EXCEPTION,
        "internal error; quote reference " + reference + " to the operator");
  }
}
