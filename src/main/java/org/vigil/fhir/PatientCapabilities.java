package org.vigil.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * Completes the CapabilityStatement's Patient: HAPI lists its create and update and that both are
 * conditional, but not that a PUT to an id Vigil does not know creates the patient with that id
 * ({@code updateCreate}), which {@link PatientWrites} does.
 */
@Interceptor
class PatientCapabilities {

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void describe(IBaseConformance generated) {
    if (generated instanceof CapabilityStatement capabilities) {
      capabilities.getRestFirstRep().getResource().stream()
          .filter(r -> r.getType().equals("Patient"))
          .filter(r ->
              r.getInteraction().stream()
                  .anyMatch(i -> i.getCode() == CapabilityStatement.TypeRestfulInteraction.UPDATE))
          .forEach(r -> r.setUpdateCreate(true));
    }
  }
}
