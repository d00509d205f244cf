package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Schedule;
import org.springframework.stereotype.Component;
import org.vigil.api.ApiException;
import org.vigil.security.PatientAccess;
import org.vigil.telemedicine.ClinicianSchedule;
import org.vigil.telemedicine.Schedules;

/**
 * Clinicians' schedules of video visits. A nurse or clinician creates their own (its actor is
 * themselves); anyone signed in reads them, to find a slot to book.
 */
@Component
class ScheduleProvider implements IResourceProvider {

  private final Schedules schedules;
  private final PatientAccess access;

  ScheduleProvider(Schedules schedules, PatientAccess access) {
    this.schedules = schedules;
    this.access = access;
  }

  @Override
  public Class<Schedule> getResourceType() {
    return Schedule.class;
  }

  @Read
  public Schedule read(@IdParam IdType id) {
    return schedules
        .schedule(id.getIdPart())
        .map(VisitResources::toSchedule)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<Schedule> search(@OptionalParam(name = Schedule.SP_ACTOR) ReferenceParam actor) {
    Optional<String> practitioner =
        Optional.ofNullable(actor)
            .filter(a -> a.getResourceType() == null || "Practitioner".equals(a.getResourceType()))
            .map(ReferenceParam::getIdPart);
    if (actor != null && practitioner.isEmpty()) {
      return List.of();
    }
    return schedules.schedulesOf(practitioner).stream().map(VisitResources::toSchedule).toList();
  }

  @Create
  public MethodOutcome create(@ResourceParam Schedule schedule) {
    var caller = VisitResources.caller(access);
    for (var actor : schedule.getActor()) {
      if (!VisitResources.idOf(actor, "Practitioner")
          .map(caller.username()::equals)
          .orElse(false)) {
        throw ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException.newInstance(
            422,
            "Schedule.actor: a schedule is its own clinician's (Practitioner/"
                + caller.username()
                + ")");
      }
    }
    try {
      ClinicianSchedule created =
          schedules.create(caller, Optional.ofNullable(schedule.getComment()));
      return new MethodOutcome(new IdType("Schedule", created.id()), true)
          .setResource(VisitResources.toSchedule(created));
    } catch (ApiException e) {
      throw VisitResources.refusal(e);
    }
  }
}
