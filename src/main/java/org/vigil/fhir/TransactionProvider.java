package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.stereotype.Component;
import org.vigil.api.OperationOutcomes;

/**
 * Transaction and batch Bundles at {@code [base]}: a nurse's set of observations of one patient
 * (respiratory rate, SpO2, oxygen, blood pressure, pulse, ACVPU, temperature) in one request. A
 * transaction stores them all or none, and answers with every problem, named by its entry; a batch
 * stores each entry on its own and answers for each.
 */
@Component
class TransactionProvider {

  private final ManualEntries manualEntries;
  private final OperationOutcomes outcomes;

  TransactionProvider(ManualEntries manualEntries, OperationOutcomes outcomes) {
    this.manualEntries = manualEntries;
    this.outcomes = outcomes;
  }

  @Transaction
  public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
    // HAPI has already refused (422) a Bundle that is neither a transaction nor a batch.
    List<ManualEntries.Entry> entries = new ArrayList<>();
    for (int i = 0; i < bundle.getEntry().size(); i++) {
      entries.add(entry(bundle.getEntry().get(i), "Bundle.entry[" + i + "]"));
    }
    if (bundle.getType() == BundleType.TRANSACTION) {
      Bundle response = new Bundle().setType(BundleType.TRANSACTIONRESPONSE);
      manualEntries
          .store(entries, request)
          .forEach(stored -> created(response, stored, request.getFhirServerBase()));
      return response;
    }
    Bundle response = new Bundle().setType(BundleType.BATCHRESPONSE);
    for (ManualEntries.Entry entry : entries) {
      try {
        created(
            response,
            manualEntries.store(List.of(entry), request).getFirst(),
            request.getFhirServerBase());
      } catch (BaseServerResponseException refused) {
        OperationOutcome outcome =
            refused.getOperationOutcome() instanceof OperationOutcome given
                ? given
                : outcomes.outcome(
                    List.of(
                        new OperationOutcomes.Issue(
                            refused.getStatusCode() == 403
                                ? IssueType.FORBIDDEN
                                : IssueType.PROCESSING,
                            refused.getMessage(),
                            entry.at())));
        response
            .addEntry()
            .getResponse()
            .setStatus(Integer.toString(refused.getStatusCode()))
            .setOutcome(outcome);
      }
    }
    return response;
  }

  /** An entry Vigil can process: the creation of an Observation. */
  private ManualEntries.Entry entry(BundleEntryComponent entry, String at) {
    if (!entry.hasRequest() || entry.getRequest().getMethod() != HTTPVerb.POST) {
      throw malformed(
          at + ".request.method",
          "must be POST: Vigil's transactions and batches create Observations");
    }
    if (entry.getRequest().hasIfNoneExist()) {
      throw malformed(
          at + ".request.ifNoneExist",
          "conditional creates are not taken in transactions and batches: create the Observation"
              + " on its own, POST Observation with If-None-Exist");
    }
    String url = entry.getRequest().getUrl();
    if (!(entry.getResource() instanceof Observation observation)
        || (url != null && !url.equals("Observation"))) {
      throw malformed(
          at + ".resource",
          "must be an Observation, created at request.url 'Observation'; Vigil's transactions and"
              + " batches create Observations only");
    }
    return new ManualEntries.Entry(observation, at + ".resource");
  }

  private static void created(Bundle response, Observation stored, String base) {
    response
        .addEntry()
        .setFullUrl(base + "/Observation/" + stored.getIdPart())
        .setResource(stored)
        .getResponse()
        .setStatus("201 Created")
        .setLocation("Observation/" + stored.getIdPart())
        .setLastModified(stored.getMeta().getLastUpdated());
  }

  private InvalidRequestException malformed(String at, String message) {
    return new InvalidRequestException(
        at + " " + message,
        outcomes.outcome(List.of(new OperationOutcomes.Issue(IssueType.INVALID, message, at))));
  }
}
