package org.vigil.api;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Vigil's one error format: a FHIR OperationOutcome, on the FHIR API and the REST API alike, so
 * that an integration engineer parses errors one way everywhere.
 */
@Component
public class OperationOutcomes {

  public static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");

  private final FhirContext fhir;

  public OperationOutcomes(FhirContext fhir) {
    this.fhir = fhir;
  }

  /** One issue found at a place in the input. */
  public record Issue(IssueType type, String diagnostics, String expression) {
    public static Issue of(IssueType type, String diagnostics) {
      return new Issue(type, diagnostics, null);
    }
  }

  public OperationOutcome outcome(List<Issue> issues) {
    OperationOutcome outcome = new OperationOutcome();
    for (Issue issue : issues) {
      var component =
          outcome
              .addIssue()
              .setSeverity(IssueSeverity.ERROR)
              .setCode(issue.type())
              .setDiagnostics(issue.diagnostics());
      if (issue.expression() != null) {
        component.setExpression(List.of(new StringType(issue.expression())));
      }
    }
    return outcome;
  }

  public String json(OperationOutcome outcome) {
    return fhir.newJsonParser().encodeResourceToString(outcome);
  }

  public ResponseEntity<String> response(HttpStatus status, List<Issue> issues) {
    return ResponseEntity.status(status).contentType(FHIR_JSON).body(json(outcome(issues)));
  }

  public ResponseEntity<String> response(HttpStatus status, IssueType type, String diagnostics) {
    return response(status, List.of(Issue.of(type, diagnostics)));
  }

  /** For filters that answer before any controller runs (authentication, for one). */
  public void write(HttpServletResponse response, HttpStatus status, IssueType type, String text)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(FHIR_JSON.toString());
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(json(outcome(List.of(Issue.of(type, text)))));
  }
}
