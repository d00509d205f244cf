package org.vigil.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.Date;
import java.util.Optional;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;
import org.springframework.security.core.context.SecurityContextHolder;
import org.vigil.api.ApiException;
import org.vigil.security.PatientAccess;
import org.vigil.telemedicine.ClinicianSchedule;
import org.vigil.telemedicine.OfferedSlot;
import org.vigil.telemedicine.VisitCaller;
import org.vigil.telemedicine.VisitEncounter;

/**
 * Video visits as FHIR R4 resources. The service type of every Schedule, Slot, Appointment and
 * Encounter is SNOMED CT 448337001 "Telemedicine consultation with patient"; an on-demand visit
 * ("call the patient now") has appointment type WALKIN (HL7 v2 table 0276: unscheduled), a booked
 * one ROUTINE. The Encounter's class is VR (virtual, v3 ActCode). R4's Encounter has no note, so
 * the clinician's note is an Annotation in the extension {@link #NOTE_EXTENSION} — kept on the
 * Encounter rather than in a separate resource, so that the visit and what was concluded are read
 * (and authorised, and audited) together.
 */
final class VisitResources {

  static final String SNOMED = "http://snomed.info/sct";
  static final String TELEMEDICINE = "448337001";
  static final String APPOINTMENT_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0276";
  static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  static final String NOTE_EXTENSION = "https://vigil.health/fhir/StructureDefinition/visit-note";

  private VisitResources() {}

  static CodeableConcept serviceType() {
    return new CodeableConcept(
            new Coding(SNOMED, TELEMEDICINE, "Telemedicine consultation with patient"))
        .setText("Video visit");
  }

  /** The signed-in person, or a refusal: systems neither book nor hold visits. */
  static VisitCaller caller(PatientAccess access) {
    return VisitCaller.of(SecurityContextHolder.getContext().getAuthentication(), access)
        .orElseThrow(() ->
            BaseServerResponseException.newInstance(
                403, "visits are booked by patients, nurses and clinicians"));
  }

  /** The refusal as FHIR answers it: an OperationOutcome with the same status. */
  static BaseServerResponseException refusal(ApiException e) {
    return BaseServerResponseException.newInstance(e.status().value(), e.getMessage());
  }

  static Schedule toSchedule(ClinicianSchedule schedule) {
    Schedule fhir = new Schedule();
    fhir.setId(schedule.id());
    fhir.setActive(true);
    fhir.addServiceType(serviceType());
    fhir.addActor(new Reference("Practitioner/" + schedule.practitioner()));
    schedule.description().ifPresent(fhir::setComment);
    return fhir;
  }

  static Slot toSlot(OfferedSlot slot) {
    Slot fhir = new Slot();
    fhir.setId(slot.id());
    fhir.addServiceType(serviceType());
    fhir.setSchedule(new Reference("Schedule/" + slot.scheduleId()));
    fhir.setStatus(slot.free() ? Slot.SlotStatus.FREE : Slot.SlotStatus.BUSY);
    fhir.setStart(Date.from(slot.start()));
    fhir.setEnd(Date.from(slot.end()));
    return fhir;
  }

  static Appointment toAppointment(org.vigil.telemedicine.Appointment visit) {
    Appointment fhir = new Appointment();
    fhir.setId(visit.id());
    fhir.getMeta().setLastUpdated(Date.from(visit.updatedAt()));
    fhir.setStatus(Appointment.AppointmentStatus.fromCode(visit.status().code()));
    fhir.addServiceType(serviceType());
    fhir.setAppointmentType(
        new CodeableConcept(
            visit.onDemand()
                ? new Coding(APPOINTMENT_TYPE, "WALKIN", "A previously unscheduled walk-in visit")
                : new Coding(APPOINTMENT_TYPE, "ROUTINE", "Routine appointment")));
    fhir.setStart(Date.from(visit.start()));
    fhir.setEnd(Date.from(visit.end()));
    fhir.setCreated(Date.from(visit.createdAt()));
    visit.slotId().ifPresent(s -> fhir.addSlot(new Reference("Slot/" + s)));
    visit.alarmId().ifPresent(a -> fhir.addSupportingInformation(new Reference("Flag/" + a)));
    fhir.addParticipant()
        .setActor(new Reference("Patient/" + visit.patientId()))
        .setRequired(Appointment.ParticipantRequired.REQUIRED)
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    fhir.addParticipant()
        .setActor(new Reference("Practitioner/" + visit.practitioner()))
        .setRequired(Appointment.ParticipantRequired.REQUIRED)
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    return fhir;
  }

  static Encounter toEncounter(VisitEncounter visit) {
    Encounter fhir = new Encounter();
    fhir.setId(visit.id());
    fhir.setStatus(
        "finished".equals(visit.status())
            ? Encounter.EncounterStatus.FINISHED
            : Encounter.EncounterStatus.INPROGRESS);
    fhir.setClass_(new Coding(ACT_CODE, "VR", "virtual"));
    fhir.addType(serviceType());
    fhir.setServiceType(serviceType());
    fhir.setSubject(new Reference("Patient/" + visit.patientId()));
    fhir.addParticipant()
        .setIndividual(new Reference("Practitioner/" + visit.practitioner()))
        .addType(
            new CodeableConcept(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                    "PPRF",
                    "primary performer")));
    fhir.addAppointment(new Reference("Appointment/" + visit.appointmentId()));
    Period period = new Period().setStart(Date.from(visit.start()));
    visit.end().ifPresent(end -> period.setEnd(Date.from(end)));
    fhir.setPeriod(period);
    visit
        .note()
        .ifPresent(text -> {
          Annotation note =
              new Annotation()
                  .setText(text)
                  .setAuthor(new Reference("Practitioner/" + visit.practitioner()));
          visit.end().ifPresent(end -> note.setTime(Date.from(end)));
          fhir.addExtension().setUrl(NOTE_EXTENSION).setValue(note);
        });
    return fhir;
  }

  /** The id of a reference to {@code type}, or empty when it is not one. */
  static Optional<String> idOf(Reference reference, String type) {
    if (reference == null || reference.getReferenceElement().isEmpty()) {
      return Optional.empty();
    }
    var id = reference.getReferenceElement();
    return type.equals(id.getResourceType())
        ? Optional.ofNullable(id.getIdPart())
        : Optional.empty();
  }
}
