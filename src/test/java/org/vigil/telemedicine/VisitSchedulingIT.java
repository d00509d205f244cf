package org.vigil.telemedicine;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.alarm.AlarmPriority;
import org.vigil.alarm.Alarms;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * Booking video visits over FHIR: a clinician offers slots on their schedule, their patient books
 * one (and no one can book it twice), moves it and cancels it (the slot is free again); a patient
 * cannot book a clinician who does not look after them, nor a visit for someone else; a clinician
 * cannot invite a patient they do not look after; a reminder reaches the portal before the visit;
 * "call the patient now" from an alarm books a visit for now and invites the patient.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VisitSchedulingIT extends VigilServerTest {

  private static final String SCOPES =
      "openid user/*.rs user/Appointment.cu user/Schedule.c user/Slot.c patient/*.rs"
          + " patient/Appointment.cu";

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired Alarms alarms;
  @Autowired VisitReminders reminders;

  private String patient;
  private String otherPatient;
  private String clinician;
  private String strangerClinician;

  @BeforeAll
  void people() {
    patient("tele-sch-1", "Ward TS");
    patient("tele-sch-2", "Ward TS");
    patient("tele-sch-3", "Ward TX");
    users.save(
        new UserAccount("tele-sch-pat", Role.PATIENT, "Sol", Optional.of("tele-sch-1"), true),
        "pw-ts1");
    users.save(
        new UserAccount("tele-sch-pat3", Role.PATIENT, "Tea", Optional.of("tele-sch-3"), true),
        "pw-ts3");
    users.save(
        new UserAccount("tele-sch-doc", Role.CLINICIAN, "Dr Sam", Optional.empty(), true),
        "pw-tsd");
    users.setWards("tele-sch-doc", Set.of("Ward TS"));
    users.save(
        new UserAccount("tele-sch-doc2", Role.CLINICIAN, "Dr Xu", Optional.empty(), true),
        "pw-tsd2");
    users.setWards("tele-sch-doc2", Set.of("Ward TX"));
    patient = new WebSignIn(api().base()).accessToken("tele-sch-pat", "pw-ts1", SCOPES);
    otherPatient = new WebSignIn(api().base()).accessToken("tele-sch-pat3", "pw-ts3", SCOPES);
    clinician = new WebSignIn(api().base()).accessToken("tele-sch-doc", "pw-tsd", SCOPES);
    strangerClinician = new WebSignIn(api().base()).accessToken("tele-sch-doc2", "pw-tsd2", SCOPES);
  }

  private void patient(String id, String ward) {
    patients.save(
        new Patient(
            id,
            "MRN-" + id,
            "Nguyen",
            "Lan",
            Optional.of(LocalDate.of(1960, 5, 5)),
            "female",
            Optional.of(ward),
            Optional.of("Home"),
            Instant.now()));
  }

  private String slot(String scheduleId, Instant start) {
    Slot slot = new Slot();
    slot.setSchedule(new Reference("Schedule/" + scheduleId));
    slot.setStart(Date.from(start));
    slot.setEnd(Date.from(start.plus(Duration.ofMinutes(15))));
    return api().fhir(clinician).create().resource(slot).execute().getId().getIdPart();
  }

  private String schedule() {
    Schedule schedule = new Schedule();
    schedule.addActor(new Reference("Practitioner/tele-sch-doc"));
    return api().fhir(clinician).create().resource(schedule).execute().getId().getIdPart();
  }

  private static Appointment booking(String slotId, String patientId) {
    Appointment booking = new Appointment();
    booking.addSlot(new Reference("Slot/" + slotId));
    booking.addParticipant().setActor(new Reference("Patient/" + patientId));
    return booking;
  }

  private static int status(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (BaseServerResponseException e) {
      return e.getStatusCode();
    }
  }

  @Test
  void aClinicianListsTheVisitsTheyHoldWithoutNamingAPatient() {
    String schedule = schedule();
    Instant later = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES);
    String visit =
        api()
            .fhir(patient)
            .create()
            .resource(booking(slot(schedule, later), "tele-sch-1"))
            .execute()
            .getId()
            .getIdPart();

    Bundle mine =
        api()
            .fhir(clinician)
            .search()
            .forResource(Appointment.class)
            .where(Appointment.PRACTITIONER.hasId("Practitioner/tele-sch-doc"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(mine.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .contains(visit);
    assertThat(mine.getEntry())
        .allSatisfy(e ->
            assertThat(((Appointment) e.getResource()).getParticipant())
                .extracting(p -> p.getActor().getReference())
                .contains("Practitioner/tele-sch-doc"));

    // another clinician's list is theirs to ask for, not a colleague's
    assertThat(
            status(() ->
                api()
                    .fhir(strangerClinician)
                    .search()
                    .forResource(Appointment.class)
                    .where(Appointment.PRACTITIONER.hasId("Practitioner/tele-sch-doc"))
                    .returnBundle(Bundle.class)
                    .execute()))
        .isEqualTo(403);
    Bundle theirs =
        api()
            .fhir(strangerClinician)
            .search()
            .forResource(Appointment.class)
            .where(Appointment.PRACTITIONER.hasId("Practitioner/tele-sch-doc2"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(theirs.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .doesNotContain(visit);
  }

  @Test
  void aPatientBooksMovesAndCancelsAVisitInASlotOffered() {
    String schedule = schedule();
    Instant tomorrow = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
    String first = slot(schedule, tomorrow);
    String second = slot(schedule, tomorrow.plus(Duration.ofHours(1)));
    IGenericClient asPatient = api().fhir(patient);

    Bundle free =
        asPatient
            .search()
            .forResource(Slot.class)
            .where(Slot.SCHEDULE.hasId("Schedule/" + schedule))
            .and(Slot.STATUS.exactly().code("free"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(free.getEntry()).hasSize(2);

    String visit =
        asPatient.create().resource(booking(first, "tele-sch-1")).execute().getId().getIdPart();
    Appointment booked = asPatient.read().resource(Appointment.class).withId(visit).execute();
    assertThat(booked.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
    assertThat(booked.getStart()).isEqualTo(Date.from(tomorrow));
    assertThat(booked.getServiceTypeFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("448337001");
    assertThat(booked.getParticipant())
        .extracting(p -> p.getActor().getReference())
        .containsExactlyInAnyOrder("Patient/tele-sch-1", "Practitioner/tele-sch-doc");
    assertThat(asPatient.read().resource(Slot.class).withId(first).execute().getStatus())
        .isEqualTo(Slot.SlotStatus.BUSY);

    // nobody books a slot twice
    assertThat(status(() -> asPatient.create().resource(booking(first, "tele-sch-1")).execute()))
        .isEqualTo(409);

    // moved into the other slot: the first is free again
    booked.getSlot().clear();
    booked.addSlot(new Reference("Slot/" + second));
    asPatient.update().resource(booked).execute();
    Appointment moved = asPatient.read().resource(Appointment.class).withId(visit).execute();
    assertThat(moved.getStart()).isEqualTo(Date.from(tomorrow.plus(Duration.ofHours(1))));
    assertThat(asPatient.read().resource(Slot.class).withId(first).execute().getStatus())
        .isEqualTo(Slot.SlotStatus.FREE);

    // cancelled: its slot is free again, and a cancelled visit is not cancelled twice
    moved.setStatus(Appointment.AppointmentStatus.CANCELLED);
    asPatient.update().resource(moved).execute();
    assertThat(asPatient.read().resource(Appointment.class).withId(visit).execute().getStatus())
        .isEqualTo(Appointment.AppointmentStatus.CANCELLED);
    assertThat(asPatient.read().resource(Slot.class).withId(second).execute().getStatus())
        .isEqualTo(Slot.SlotStatus.FREE);
    assertThat(status(() -> asPatient.update().resource(moved).execute())).isEqualTo(409);
  }

  @Test
  void nobodyBooksOutsideTheirCareOrForSomeoneElse() {
    String schedule = schedule();
    String slot = slot(schedule, Instant.now().plus(Duration.ofDays(2)));
    // a patient whom this clinician does not look after
    assertThat(
            status(() ->
                api().fhir(otherPatient).create().resource(booking(slot, "tele-sch-3")).execute()))
        .isEqualTo(403);
    // a patient booking for someone else
    assertThat(
            status(
                () -> api().fhir(patient).create().resource(booking(slot, "tele-sch-2")).execute()))
        .isEqualTo(403);
    // a clinician inviting a patient not on their wards
    Appointment invite = new Appointment();
    invite.setStart(Date.from(Instant.now().plus(Duration.ofHours(3))));
    invite.setEnd(Date.from(Instant.now().plus(Duration.ofHours(3)).plus(Duration.ofMinutes(20))));
    invite.addParticipant().setActor(new Reference("Patient/tele-sch-1"));
    assertThat(status(() -> api().fhir(strangerClinician).create().resource(invite).execute()))
        .isEqualTo(403);
    // a slot on someone else's schedule
    Slot foreign = new Slot();
    foreign.setSchedule(new Reference("Schedule/" + schedule));
    foreign.setStart(Date.from(Instant.now().plus(Duration.ofDays(3))));
    foreign.setEnd(Date.from(Instant.now().plus(Duration.ofDays(3)).plus(Duration.ofMinutes(15))));
    assertThat(status(() -> api().fhir(strangerClinician).create().resource(foreign).execute()))
        .isEqualTo(403);
    // a visit that ends before it starts
    invite.setEnd(Date.from(Instant.now()));
    assertThat(status(() -> api().fhir(clinician).create().resource(invite).execute()))
        .isEqualTo(422);
    // the other clinician sees none of this patient's visits
    assertThat(
            status(() ->
                api()
                    .fhir(strangerClinician)
                    .search()
                    .forResource(Appointment.class)
                    .where(Appointment.PATIENT.hasId("Patient/tele-sch-1"))
                    .returnBundle(Bundle.class)
                    .execute()))
        .isEqualTo(403);
  }

  @Test
  void theClinicianInvitesThePatientIsRemindedBeforeTheVisit() {
    Appointment invite = new Appointment();
    Instant start = Instant.now().plus(Duration.ofMinutes(10));
    invite.setStart(Date.from(start));
    invite.setEnd(Date.from(start.plus(Duration.ofMinutes(20))));
    invite.addParticipant().setActor(new Reference("Patient/tele-sch-2"));
    invite.addParticipant().setActor(new Reference("Practitioner/tele-sch-doc"));
    String visit = api().fhir(clinician).create().resource(invite).execute().getId().getIdPart();
    reminders.remind();
    reminders.remind();
    JsonNode notices =
        VigilApi.json(api().get("/api/v1/patients/tele-sch-2/visit-notices", clinician).body())
            .path("notices");
    assertThat(
            notices
                .valueStream()
                .filter(n -> n.path("appointmentId").asString().equals(visit))
                .map(n -> n.path("kind").asString())
                .toList())
        .containsExactlyInAnyOrder("invitation", "reminder");
    assertThat(api().get("/api/v1/patients/tele-sch-2/visit-notices", patient).statusCode())
        .isEqualTo(403);
  }

  @Test
  void callingThePatientFromAnAlarmBooksAVisitNow() {
    var alarm = alarms.raise("tele-sch-1", "tele-sch-test", AlarmPriority.HIGH, "SpO2 88 %");
    HttpResponse<String> called =
        api()
            .post(
                "/api/v1/alarms/" + alarm.id() + "/call-patient",
                clinician,
                "application/json",
                "{}");
    assertThat(called.statusCode()).as(called.body()).isEqualTo(201);
    String visit = VigilApi.json(called.body()).path("appointment").asString();
    Appointment now =
        api().fhir(patient).read().resource(Appointment.class).withId(visit).execute();
    assertThat(now.getAppointmentType().getCodingFirstRep().getCode()).isEqualTo("WALKIN");
    assertThat(now.getSupportingInformationFirstRep().getReference())
        .isEqualTo("Flag/" + alarm.id());
    assertThat(now.getStart()).isBeforeOrEqualTo(new Date());
    JsonNode notices =
        VigilApi.json(api().get("/api/v1/patients/tele-sch-1/visit-notices", patient).body())
            .path("notices");
    assertThat(notices.valueStream())
        .anyMatch(n ->
            n.path("appointmentId").asString().equals(visit)
                && n.path("kind").asString().equals("invitation"));
    // a clinician who does not look after the patient cannot call them
    assertThat(
            api()
                .post(
                    "/api/v1/alarms/" + alarm.id() + "/call-patient",
                    strangerClinician,
                    "application/json",
                    "{}")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            api()
                .post(
                    "/api/v1/alarms/" + alarm.id() + "/call-patient",
                    patient,
                    "application/json",
                    "{}")
                .statusCode())
        .isEqualTo(403);
  }
}
