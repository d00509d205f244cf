package org.vigil.fhir.subscription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.springframework.stereotype.Component;

/** The CapabilityStatement's Subscription resource says what Vigil matches and delivers. */
@Interceptor
@Component
public class SubscriptionCapabilities {

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void describe(IBaseConformance generated) {
    if (!(generated instanceof CapabilityStatement capabilities)) {
      return;
    }
    CapabilityStatement.CapabilityStatementRestComponent rest = capabilities.getRestFirstRep();
    rest.getResource().stream()
        .filter(r -> r.getType().equals("Subscription"))
        .forEach(r ->
            r.setDocumentation(
                "rest-hook channels on Observation?patient=&code=&category= and"
                    + " Flag?patient=&status=; each only its owner's, delivering only what the"
                    + " owner may see"));
  }
}
