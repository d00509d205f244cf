package org.vigil.telemedicine;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.vigil.api.ApiException;

/**
 * Why a scheduling or visit request is refused, with the status REST and FHIR answer alike. The
 * message names what was wrong, never a patient's details.
 */
public final class VisitException extends ApiException {

  private VisitException(HttpStatus status, IssueType type, String message) {
    super(status, type, message);
  }

  static VisitException notFound(String what) {
    return new VisitException(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, what);
  }

  static VisitException forbidden(String why) {
    return new VisitException(HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, why);
  }

  static VisitException conflict(String why) {
    return new VisitException(HttpStatus.CONFLICT, IssueType.CONFLICT, why);
  }

  static VisitException invalid(String why) {
    return new VisitException(HttpStatus.UNPROCESSABLE_ENTITY, IssueType.INVALID, why);
  }
}
