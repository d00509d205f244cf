package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;

/**
 * The audit trail as FHIR AuditEvent resources, shaped after IHE Basic Audit Log Patterns (BALP):
 * the type and subtype of the interaction, the agent who asked (as requestor, with their network
 * address), Vigil as the observer, and each patient whose data was touched as an entity. Searching
 * by patient gives that patient's accounting of disclosures: who looked at their data.
 */
@Component
class AuditEventProvider implements IResourceProvider {

  private static final String EVENT_TYPES =
      "http://terminology.hl7.org/CodeSystem/audit-event-type";
  private static final String INTERACTIONS = "http://hl7.org/fhir/restful-interaction";
  private static final String ENTITY_TYPES =
      "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  private static final String OBJECT_ROLES = "http://terminology.hl7.org/CodeSystem/object-role";
  private static final int MAX_PAGE = 1000;

  private final AuditTrail trail;

  AuditEventProvider(AuditTrail trail) {
    this.trail = trail;
  }

  @Override
  public Class<AuditEvent> getResourceType() {
    return AuditEvent.class;
  }

  @Read
  public AuditEvent read(@IdParam IdType id) {
    long number;
    try {
      number = Long.parseLong(id.getIdPart());
    } catch (NumberFormatException e) {
      throw new ResourceNotFoundException(id);
    }
    return trail
        .find(number)
        .map(AuditEventProvider::toFhir)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<AuditEvent> search(
      @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceParam patient,
      @OptionalParam(name = AuditEvent.SP_AGENT_NAME) StringParam agent,
      @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
      @Count Integer count) {
    int limit = count == null ? 100 : count;
    if (limit < 0 || limit > MAX_PAGE) {
      throw new InvalidRequestException("_count must be between 0 and " + MAX_PAGE);
    }
    AuditQuery query = AuditQuery.all().page(0, limit);
    if (patient != null) {
      query = query.forPatient(patient.getIdPart());
    }
    if (agent != null) {
      query = query.byAgent(agent.getValue());
    }
    if (date != null) {
      query =
          query.between(
              Optional.ofNullable(date.getLowerBoundAsInstant()).map(Date::toInstant),
              Optional.ofNullable(date.getUpperBoundAsInstant()).map(Date::toInstant));
    }
    return trail.search(query).stream().map(AuditEventProvider::toFhir).toList();
  }

  static AuditEvent toFhir(org.vigil.audit.AuditEvent event) {
    AuditEntry entry = event.entry();
    AuditEvent fhir = new AuditEvent();
    fhir.setId(String.valueOf(event.id()));
    switch (entry.category()) {
      case "fhir", "rest" -> {
        fhir.setType(new Coding(EVENT_TYPES, "rest", "RESTful Operation"));
        String interaction = entry.what().split(" ", 2)[0];
        fhir.addSubtype(new Coding(INTERACTIONS, interaction, null));
      }
      case "login" ->
          fhir.setType(
              new Coding(
                  "http://dicom.nema.org/resources/ontology/DCM", "110114", "User Authentication"));
      default -> fhir.setType(new Coding("urn:vigil:audit-category", entry.category(), null));
    }
    fhir.setAction(AuditEvent.AuditEventAction.fromCode(entry.action()));
    fhir.setRecorded(Date.from(event.recordedAt()));
    fhir.setOutcome(AuditEvent.AuditEventOutcome.fromCode(String.valueOf(entry.outcome())));
    entry.detail().ifPresent(fhir::setOutcomeDesc);
    AuditAgent agent = entry.agent();
    AuditEvent.AuditEventAgentComponent who = fhir.addAgent().setRequestor(true);
    who.getWho().getIdentifier().setSystem("urn:vigil:" + agent.type()).setValue(agent.id());
    who.getWho().setDisplay(agent.type() + " " + agent.id());
    agent
        .client()
        .ifPresent(client ->
            fhir.addAgent()
                .setRequestor(false)
                .getWho()
                .setDisplay("client " + client)
                .getIdentifier()
                .setSystem("urn:vigil:client")
                .setValue(client));
    agent
        .address()
        .ifPresent(address ->
            who.getNetwork().setAddress(address).setType(AuditEvent.AuditEventAgentNetworkType._2));
    fhir.getSource().setSite("Vigil").getObserver().setDisplay("Vigil");
    entry.patients().stream()
        .sorted()
        .forEach(patient ->
            fhir.addEntity()
                .setWhat(new Reference("Patient/" + patient))
                .setType(new Coding(ENTITY_TYPES, "1", "Person"))
                .setRole(new Coding(OBJECT_ROLES, "1", "Patient")));
    fhir.addEntity()
        .setType(new Coding(ENTITY_TYPES, "2", "System Object"))
        .setDescription(entry.what());
    return fhir;
  }
}
