package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;
import org.vigil.security.PatientAccess;
import org.vigil.telemedicine.VisitEncounters;

/**
 * Video visits as they happened: Encounters of class VR, each linked to its Appointment, with the
 * period from admission to the end and the clinician's note ({@link VisitResources}). Written by
 * the visit itself, read here.
 */
@Component
class EncounterProvider implements IResourceProvider {

  private final VisitEncounters encounters;

  EncounterProvider(VisitEncounters encounters) {
    this.encounters = encounters;
  }

  @Override
  public Class<Encounter> getResourceType() {
    return Encounter.class;
  }

  @Read
  public Encounter read(@IdParam IdType id) {
    return encounters
        .find(id.getIdPart())
        .map(VisitResources::toEncounter)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<Encounter> search(
      @OptionalParam(name = Encounter.SP_PATIENT) ReferenceParam patient,
      @OptionalParam(name = Encounter.SP_APPOINTMENT) ReferenceParam appointment,
      @OptionalParam(name = Encounter.SP_PRACTITIONER) ReferenceParam practitioner,
      @Count Integer count,
      RequestDetails request) {
    PatientAccess.Scope scope =
        (PatientAccess.Scope) request.getUserData().get(PatientCompartmentRules.SCOPE);
    return encounters
        .search(
            Optional.ofNullable(patient).map(ReferenceParam::getIdPart),
            Optional.ofNullable(appointment).map(ReferenceParam::getIdPart),
            Optional.ofNullable(practitioner).map(ReferenceParam::getIdPart),
            count == null ? 100 : count)
        .stream()
        .filter(e -> scope == null || scope.mayAccess(e.patientId()))
        .map(VisitResources::toEncounter)
        .toList();
  }
}
