package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.Test;
import org.vigil.telemedicine.Appointment;
import org.vigil.telemedicine.ClinicianSchedule;
import org.vigil.telemedicine.OfferedSlot;
import org.vigil.telemedicine.VisitEncounter;
import org.vigil.testsupport.ProfileValidator;

/** Video visits as FHIR resources are valid R4 and say what the visit was. */
class VisitResourcesTest {

  private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void scheduleSlotAppointmentAndEncounterAreValidR4() {
    Appointment visit =
        new Appointment(
            "a1",
            "p1",
            "dr-ines",
            Appointment.Status.FULFILLED,
            START,
            START.plus(Duration.ofMinutes(20)),
            Optional.of("s1"),
            false,
            Optional.empty(),
            "dr-ines",
            START.minus(Duration.ofDays(1)),
            START.plus(Duration.ofMinutes(25)));
    VisitEncounter finished =
        new VisitEncounter(
            "e1",
            "a1",
            "p1",
            "dr-ines",
            "finished",
            START.plus(Duration.ofMinutes(1)),
            Optional.of(START.plus(Duration.ofMinutes(19))),
            Optional.of("Ankle oedema improving."));
    ProfileValidator.assertValid(
        List.of(
            VisitResources.toSchedule(
                new ClinicianSchedule(
                    "sc1", "dr-ines", Optional.of("Heart failure clinic"), START)),
            VisitResources.toSlot(
                new OfferedSlot("s1", "sc1", START, START.plus(Duration.ofMinutes(20)), false)),
            VisitResources.toAppointment(visit),
            VisitResources.toEncounter(finished)));
  }

  @Test
  void theEncounterIsVirtualLinkedToItsAppointmentAndCarriesTheNote() {
    Encounter encounter =
        VisitResources.toEncounter(
            new VisitEncounter(
                "e2",
                "a2",
                "p2",
                "dr-ines",
                "finished",
                START,
                Optional.of(START.plus(Duration.ofMinutes(10))),
                Optional.of("Review in a week.")));
    assertThat(encounter.getClass_().getSystem())
        .isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ActCode");
    assertThat(encounter.getClass_().getCode()).isEqualTo("VR");
    assertThat(encounter.getAppointmentFirstRep().getReference()).isEqualTo("Appointment/a2");
    Annotation note =
        (Annotation) encounter.getExtensionByUrl(VisitResources.NOTE_EXTENSION).getValue();
    assertThat(note.getText()).isEqualTo("Review in a week.");
    assertThat(note.getAuthorReference().getReference()).isEqualTo("Practitioner/dr-ines");
  }

  @Test
  void anOnDemandVisitIsAWalkInNamingItsAlarm() {
    var fhir =
        VisitResources.toAppointment(
            new Appointment(
                "a3",
                "p3",
                "dr-ines",
                Appointment.Status.BOOKED,
                START,
                START.plus(Duration.ofMinutes(30)),
                Optional.empty(),
                true,
                Optional.of(42L),
                "dr-ines",
                START,
                START));
    assertThat(fhir.getAppointmentType().getCodingFirstRep().getCode()).isEqualTo("WALKIN");
    assertThat(fhir.getSupportingInformationFirstRep().getReference()).isEqualTo("Flag/42");
    assertThat(fhir.getServiceTypeFirstRep().getCodingFirstRep().getCode()).isEqualTo("448337001");
  }
}
