package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;
import org.vigil.api.ApiException;
import org.vigil.security.PatientAccess;
import org.vigil.telemedicine.Appointments;

/**
 * Video visits as FHIR Appointments. A clinician invites a patient they look after (participants
 * the Patient and themselves, a slot of theirs or a start and end); a patient books a free slot
 * (the Patient themselves and the slot). An update cancels ({@code status: cancelled}) or moves it
 * (another {@code start}/{@code end} or {@code slot}); nothing else of it changes by update. People
 * read and search only the visits of patients they may see.
 */
@Component
class AppointmentProvider implements IResourceProvider {

  private final Appointments appointments;
  private final PatientAccess access;

  AppointmentProvider(Appointments appointments, PatientAccess access) {
    this.appointments = appointments;
    this.access = access;
  }

  @Override
  public Class<Appointment> getResourceType() {
    return Appointment.class;
  }

  @Read
  public Appointment read(@IdParam IdType id) {
    return appointments
        .find(id.getIdPart())
        .map(VisitResources::toAppointment)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<Appointment> search(
      @OptionalParam(name = Appointment.SP_PATIENT) ReferenceParam patient,
      @OptionalParam(name = Appointment.SP_PRACTITIONER) ReferenceParam practitioner,
      @OptionalParam(name = Appointment.SP_STATUS) TokenParam status,
      @Count Integer count,
      RequestDetails request) {
    PatientAccess.Scope scope =
        (PatientAccess.Scope) request.getUserData().get(PatientCompartmentRules.SCOPE);
    return appointments
        .search(
            Optional.ofNullable(patient).map(ReferenceParam::getIdPart),
            Optional.ofNullable(practitioner).map(ReferenceParam::getIdPart),
            Optional.ofNullable(status).map(TokenParam::getValue),
            count == null ? 100 : count)
        .stream()
        // a person's search without a patient lists the visits of patients they may see
        .filter(a -> scope == null || scope.mayAccess(a.patientId()))
        .map(VisitResources::toAppointment)
        .toList();
  }

  @Create
  public MethodOutcome create(@ResourceParam Appointment appointment) {
    var caller = VisitResources.caller(access);
    if (appointment.hasStatus()
        && appointment.getStatus() != Appointment.AppointmentStatus.BOOKED
        && appointment.getStatus() != Appointment.AppointmentStatus.PROPOSED) {
      throw BaseServerResponseException.newInstance(
          422, "Appointment.status: a new visit is booked (or proposed, which books it)");
    }
    Optional<String> patient = Optional.empty();
    Optional<String> practitioner = Optional.empty();
    for (var participant : appointment.getParticipant()) {
      var p = VisitResources.idOf(participant.getActor(), "Patient");
      var c = VisitResources.idOf(participant.getActor(), "Practitioner");
      if (p.isPresent()) {
        if (patient.isPresent()) {
          throw BaseServerResponseException.newInstance(
              422, "Appointment.participant: one patient per video visit");
        }
        patient = p;
      } else if (c.isPresent()) {
        if (practitioner.isPresent()) {
          throw BaseServerResponseException.newInstance(
              422, "Appointment.participant: one clinician per video visit");
        }
        practitioner = c;
      } else {
        throw BaseServerResponseException.newInstance(
            422, "Appointment.participant: a Patient and a Practitioner");
      }
    }
    if (appointment.getSlot().size() > 1) {
      throw BaseServerResponseException.newInstance(422, "Appointment.slot: at most one slot");
    }
    Optional<String> slot =
        appointment.getSlot().stream().findFirst().flatMap(s -> VisitResources.idOf(s, "Slot"));
    try {
      var booked =
          appointments.book(
              caller,
              new Appointments.Request(
                  patient,
                  practitioner,
                  slot,
                  Optional.ofNullable(appointment.getStart()).map(d -> d.toInstant()),
                  Optional.ofNullable(appointment.getEnd()).map(d -> d.toInstant())));
      return new MethodOutcome(new IdType("Appointment", booked.id()), true)
          .setResource(VisitResources.toAppointment(booked));
    } catch (ApiException e) {
      throw VisitResources.refusal(e);
    }
  }

  @Update
  public MethodOutcome update(@IdParam IdType id, @ResourceParam Appointment appointment) {
    var caller = VisitResources.caller(access);
    try {
      var current = appointments.participantOf(caller, id.getIdPart());
      org.vigil.telemedicine.Appointment result;
      if (appointment.getStatus() == Appointment.AppointmentStatus.CANCELLED) {
        result = appointments.cancel(caller, current.id());
      } else if (appointment.getStatus() != null
          && !appointment.getStatus().toCode().equals(current.status().code())) {
        throw BaseServerResponseException.newInstance(
            422,
            "Appointment.status: an update cancels a visit or moves it; its other statuses follow the visit");
      } else {
        Optional<String> slot =
            appointment.getSlot().stream().findFirst().flatMap(s -> VisitResources.idOf(s, "Slot"));
        Instant start = appointment.getStart() == null ? null : appointment.getStart().toInstant();
        Instant end = appointment.getEnd() == null ? null : appointment.getEnd().toInstant();
        result = appointments.reschedule(caller, current.id(), slot, start, end);
      }
      return new MethodOutcome(new IdType("Appointment", result.id()), false)
          .setResource(VisitResources.toAppointment(result));
    } catch (ApiException e) {
      throw VisitResources.refusal(e);
    }
  }
}
