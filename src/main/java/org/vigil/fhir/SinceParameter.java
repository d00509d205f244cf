package org.vigil.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Checks {@code _since} (of {@code $export} at every level and of {@code $everything}) as soon as
 * the request is read: HAPI parses it into an instant when it binds the operation's arguments —
 * before any interceptor of the handled request runs — and a value it cannot parse then fails as an
 * internal error. Here it is the client's 400, naming the parameter and the form it takes. (Spring
 * Security has checked the bearer token before the request reaches HAPI.)
 */
@Interceptor
class SinceParameter {

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
  public boolean check(RequestDetails request) {
    String[] values = request.getParameters().get(Constants.PARAM_SINCE);
    if (values == null) {
      return true;
    }
    for (String value : values) {
      try {
        if (new InstantType(value).getValue() == null) {
          throw new DataFormatException("empty");
        }
      } catch (DataFormatException | IllegalArgumentException e) {
        String message =
            "_since '"
                + value
                + "' is not an instant; give a time with its zone, e.g. 2026-01-01T00:00:00Z";
        OperationOutcome outcome = new OperationOutcome();
        outcome
            .addIssue()
            .setSeverity(OperationOutcome.IssueSeverity.ERROR)
            .setCode(OperationOutcome.IssueType.INVALID)
            .setDiagnostics(message)
            .addExpression(Constants.PARAM_SINCE);
        throw new InvalidRequestException(message, outcome);
      }
    }
    return true;
  }
}
