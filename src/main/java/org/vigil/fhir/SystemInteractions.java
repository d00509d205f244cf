package org.vigil.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;

/**
 * Completes the CapabilityStatement's system interactions: HAPI lists one {@code transaction} for
 * the method that serves both transaction and batch Bundles; {@link TransactionProvider} does both,
 * so both are listed, each saying what it does.
 */
@Interceptor
class SystemInteractions {

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void describe(IBaseConformance generated) {
    if (!(generated instanceof CapabilityStatement capabilities)) {
      return;
    }
    CapabilityStatementRestComponent rest = capabilities.getRestFirstRep();
    rest.getInteraction().removeIf(i -> i.getCode() == SystemRestfulInteraction.BATCH);
    rest.getInteraction().stream()
        .filter(i -> i.getCode() == SystemRestfulInteraction.TRANSACTION)
        .forEach(i ->
            i.setDocumentation(
                "Observations a nurse or clinician enters for one patient (POST entries),"
                    + " stored all or none"));
    if (rest.getInteraction().stream()
        .anyMatch(i -> i.getCode() == SystemRestfulInteraction.TRANSACTION)) {
      rest.addInteraction()
          .setCode(SystemRestfulInteraction.BATCH)
          .setDocumentation(
              "Observations a nurse or clinician enters (POST entries), each stored or refused on"
                  + " its own");
    }
  }
}
