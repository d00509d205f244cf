package org.vigil.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * A Patient to create or update whose JSON parses but holds a value its element does not allow (a
 * gender of "bogus", a birth date of "1950-13-45") is refused as an invalid resource, 422 naming
 * the element, like every other problem of a Patient ({@link PatientWrites}) — not as HAPI's 400
 * "failed to parse", which is kept for what is not a resource at all.
 */
@Interceptor
class PatientValueProblems {

  private static final Pattern INVALID_VALUE =
      Pattern.compile("\\[element=\"([A-Za-z]+)\"] Invalid attribute value \"([^\"]*)\"");

  private final FhirContext fhir;

  PatientValueProblems(FhirContext fhir) {
    this.fhir = fhir;
  }

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException classify(RequestDetails request, Throwable exception) {
    // the body is parsed before the operation is known: a POST or PUT of Patients is a write
    if (!(exception instanceof InvalidRequestException invalid)
        || (request.getRequestType() != RequestTypeEnum.POST
            && request.getRequestType() != RequestTypeEnum.PUT)
        || !"Patient".equals(request.getResourceName())
        || request.getOperation() != null) {
      return null;
    }
    Matcher value = INVALID_VALUE.matcher(invalid.getMessage());
    if (!value.find()) {
      return null;
    }
    // a Patient's own element by name; one deeper down is named by its name alone
    String element = value.group(1);
    String at =
        fhir.getResourceDefinition("Patient").getChildByName(element) != null
            ? "Patient." + element
            : element;
    String problem = at + " does not allow the value '" + value.group(2) + "'";
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.VALUE)
        .setDiagnostics(problem)
        .addExpression(at);
    return new UnprocessableEntityException(problem, outcome);
  }
}
