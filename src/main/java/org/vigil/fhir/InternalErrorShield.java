package org.vigil.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps internals out of the FHIR API's answers: an unexpected failure (a database error, a bug)
 * reaches the caller as a 500 OperationOutcome with a reference id, and the details go to the log
 * under the same id for the operator. Errors the API means to give (404, 400, 403, and 503 when the
 * ingest log is busy) pass unchanged.
 */
@Interceptor
class InternalErrorShield {

  private static final Logger log = LoggerFactory.getLogger(InternalErrorShield.class);

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException shield(RequestDetails request, Throwable thrown) {
    if (thrown instanceof BaseServerResponseException answer
        && (answer.getStatusCode() < 500 || answer.getStatusCode() == 503)
        && !(answer instanceof InternalErrorException)) {
      return null;
    }
    String reference = UUID.randomUUID().toString();
    log.error("Unexpected failure in the FHIR API, reference {}", reference, thrown);
    return new InternalErrorException(
        "internal error; quote reference " + reference + " to the operator");
  }
}
