package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Slot;
import org.springframework.stereotype.Component;
import org.vigil.api.ApiException;
import org.vigil.security.PatientAccess;
import org.vigil.telemedicine.OfferedSlot;
import org.vigil.telemedicine.Schedules;

/**
 * The slots clinicians offer for video visits: created {@code free} on the clinician's own
 * schedule, {@code busy} once booked. {@code Slot?status=free&schedule=…} is what a patient books
 * from; past slots are not listed unless {@code start} asks for them.
 */
@Component
class SlotProvider implements IResourceProvider {

  private final Schedules schedules;
  private final PatientAccess access;

  SlotProvider(Schedules schedules, PatientAccess access) {
    this.schedules = schedules;
    this.access = access;
  }

  @Override
  public Class<Slot> getResourceType() {
    return Slot.class;
  }

  @Read
  public Slot read(@IdParam IdType id) {
    return schedules
        .slot(id.getIdPart())
        .map(VisitResources::toSlot)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<Slot> search(
      @OptionalParam(name = Slot.SP_SCHEDULE) ReferenceParam schedule,
      @OptionalParam(name = Slot.SP_STATUS) TokenParam status,
      @OptionalParam(name = Slot.SP_START) DateParam start,
      @Count Integer count) {
    Optional<Boolean> free = Optional.empty();
    if (status != null) {
      free =
          switch (status.getValue()) {
            case "free" -> Optional.of(true);
            case "busy" -> Optional.of(false);
            default ->
                throw new InvalidRequestException(
                    "status is free or busy, not " + status.getValue());
          };
    }
    Instant from = start == null ? Instant.now() : start.getValue().toInstant();
    return schedules
        .slots(
            Optional.ofNullable(schedule).map(ReferenceParam::getIdPart),
            free,
            from,
            count == null ? 100 : count)
        .stream()
        .map(VisitResources::toSlot)
        .toList();
  }

  @Create
  public MethodOutcome create(@ResourceParam Slot slot) {
    var caller = VisitResources.caller(access);
    String scheduleId =
        VisitResources.idOf(slot.getSchedule(), "Schedule")
            .orElseThrow(() ->
                ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException.newInstance(
                    422, "Slot.schedule: a reference to the clinician's Schedule is required"));
    if (slot.hasStatus() && slot.getStatus() != Slot.SlotStatus.FREE) {
      throw ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException.newInstance(
          422, "Slot.status: a slot is offered free; it becomes busy when booked");
    }
    try {
      OfferedSlot created =
          schedules.offer(
              caller,
              scheduleId,
              slot.getStart() == null ? null : slot.getStart().toInstant(),
              slot.getEnd() == null ? null : slot.getEnd().toInstant());
      return new MethodOutcome(new IdType("Slot", created.id()), true)
          .setResource(VisitResources.toSlot(created));
    } catch (ApiException e) {
      throw VisitResources.refusal(e);
    }
  }
}
