package org.vigil.fhir.subscription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.UriType;
import org.springframework.stereotype.Component;

/**
 * Tells clients where the websocket channel is: the CapabilityStatement's {@code rest} gets the
 * standard {@code capabilitystatement-websocket} extension with {@code ws(s)://…/fhir/websocket},
 * and the Subscription resource says what Vigil matches and delivers.
 */
@Interceptor
@Component
public class SubscriptionCapabilities {

  static final String WEBSOCKET_EXTENSION =
      "http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket";

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void describe(IBaseConformance generated, RequestDetails request) {
    if (!(generated instanceof CapabilityStatement capabilities)) {
      return;
    }
    CapabilityStatement.CapabilityStatementRestComponent rest = capabilities.getRestFirstRep();
    String base = request == null ? null : request.getFhirServerBase();
    if (base != null && base.matches("(?i)https?://.*")) {
      String socket = "ws" + base.substring(4).replaceAll("/+$", "") + "/websocket";
      rest.getExtension().removeIf(e -> e.getUrl().equals(WEBSOCKET_EXTENSION));
      rest.addExtension(WEBSOCKET_EXTENSION, new UriType(socket));
    }
    rest.getResource().stream()
        .filter(r -> r.getType().equals("Subscription"))
        .forEach(r ->
            r.setDocumentation(
                "rest-hook and websocket channels on Observation?patient=&code=&category= and"
                    + " Flag?patient=&status=; each only its owner's, delivering only what the"
                    + " owner may see"));
  }
}
