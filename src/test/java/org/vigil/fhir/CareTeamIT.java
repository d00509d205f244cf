package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.CareTeams;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * Who looks after a patient, as CareTeams read with HAPI's generic client: one per ward or care
 * team and patient, naming its nurses and clinicians with their roles; searched by patient,
 * participant and status; seen by the patient it is about and by the staff who may see that
 * patient, and by no one else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CareTeamIT extends VigilServerTest {

  private static final String P1 = "ct-p1";
  private static final String P2 = "ct-p2";

  @Autowired UserAccounts users;
  @Autowired PatientRepository patients;
  @Autowired ClientRegistry clients;
  @Autowired CareTeams careTeams;
  @Autowired AuditTrail audit;

  private IGenericClient system;

  @BeforeAll
  void ward() {
    staff("ct-nurse", Role.NURSE, "Ward CT1", true);
    staff("ct-doctor", Role.CLINICIAN, "Ward CT1", true);
    staff("ct-gone", Role.NURSE, "Ward CT1", false);
    staff("ct-diabetes-nurse", Role.NURSE, "Ward CT2", true);
    staff("ct-far", Role.NURSE, "Ward CT2", true);
    admit(P1, "Ward CT1");
    admit(P2, "Ward CT2");
    // a ward no one works on has no team
    admit("ct-p3", "Ward CT3");
    users.save(new UserAccount("ct-pat", Role.PATIENT, "Pat", Optional.of(P1), true), "pw-pat");
    careTeams.create("ct_diabetes", "Diabetes team");
    careTeams.addMember("ct_diabetes", "ct-diabetes-nurse");
    careTeams.addMember("ct_diabetes", "ct-pat"); // a patient is no participant
    careTeams.addPatient("ct_diabetes", P1);
    system =
        api()
            .fhir(
                api()
                    .token("ct-ehr", clients.register("ct-ehr", Set.of("system/*.rs"), "t"), null));
  }

  private void staff(String username, Role role, String ward, boolean enabled) {
    users.save(
        new UserAccount(username, role, "Name " + username, Optional.empty(), enabled), "pw");
    users.setWards(username, Set.of(ward));
  }

  private void admit(String patient, String ward) {
    patients.save(
        new Patient(
            patient,
            "MRN-" + patient,
            "Family",
            "Given",
            Optional.empty(),
            "unknown",
            Optional.of(ward),
            Optional.of("Bed 1"),
            Instant.now()));
  }

  @Test
  void aPatientHasATeamPerWardAndCareTeamNamingItsNursesAndClinicians() {
    List<CareTeam> teams = teams(system, "patient=" + P1);
    assertThat(teams).extracting(CareTeam::getName).containsExactly("Ward CT1", "Diabetes team");
    CareTeam ward = teams.get(0);
    assertThat(ward.getStatus()).isEqualTo(CareTeam.CareTeamStatus.ACTIVE);
    assertThat(ward.getSubject().getReference()).isEqualTo("Patient/" + P1);
    assertThat(ward.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("LA27976-2");
    // the disabled nurse no longer works there
    assertThat(ward.getParticipant())
        .extracting(p -> p.getMember().getReference())
        .containsExactly("Practitioner/ct-doctor", "Practitioner/ct-nurse");
    assertThat(ward.getParticipant())
        .extracting(p -> p.getRoleFirstRep().getCodingFirstRep().getCode())
        .containsExactly("doctor", "nurse");
    assertThat(ward.getParticipantFirstRep().getMember().getDisplay()).isEqualTo("Name ct-doctor");
    CareTeam diabetes = teams.get(1);
    assertThat(diabetes.getParticipant())
        .extracting(p -> p.getMember().getReference())
        .containsExactly("Practitioner/ct-diabetes-nurse");

    // ids are FHIR ids, stable, and read back the same team
    for (CareTeam team : teams) {
      String id = team.getIdElement().getIdPart();
      assertThat(id).matches("[A-Za-z0-9\\-.]{1,64}");
      CareTeam read = system.read().resource(CareTeam.class).withId(id).execute();
      assertThat(read.getName()).isEqualTo(team.getName());
      assertThat(read.getSubject().getReference()).isEqualTo("Patient/" + P1);
    }
    assertThat(ids(teams(system, "subject=Patient/" + P1))).isEqualTo(ids(teams));
    assertThat(teams(system, "patient=ct-p3")).isEmpty();
  }

  @Test
  void searchedByParticipantAndStatus() {
    assertThat(teams(system, "participant=Practitioner/ct-diabetes-nurse"))
        .extracting(t -> t.getName() + " " + t.getSubject().getReference())
        .containsExactlyInAnyOrder("Ward CT2 Patient/" + P2, "Diabetes team Patient/" + P1);
    // a PractitionerRole has its Practitioner's id
    assertThat(teams(system, "participant=PractitionerRole/ct-nurse&patient=" + P1))
        .extracting(CareTeam::getName)
        .containsExactly("Ward CT1");
    assertThat(teams(system, "participant=Practitioner/ct-gone")).isEmpty();
    assertThat(teams(system, "participant=Patient/" + P1)).isEmpty();
    assertThat(teams(system, "status=active&patient=" + P1)).hasSize(2);
    assertThat(teams(system, "status=inactive&patient=" + P1)).isEmpty();
    assertThat(teams(system, "status=http://loinc.org|active&patient=" + P1)).isEmpty();
  }

  @Test
  void badSearchesAre400AndUnknownTeams404() {
    assertThatThrownBy(() -> teams(system, "status=gone"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("status");
    assertThatThrownBy(() -> teams(system, "patient=Practitioner/ct-nurse"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("patient");
    assertThatThrownBy(() -> teams(system, "participant=Device/x"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("participant");
    assertThatThrownBy(
            () -> system.read().resource(CareTeam.class).withId("ward-nothing").execute())
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void aPatientSeesOnlyTheirOwnTeamsAndTheReadIsAudited() {
    IGenericClient patient =
        api()
            .fhir(
                new WebSignIn(api().base()).accessToken("ct-pat", "pw-pat", "openid patient/*.rs"));
    List<CareTeam> own = teams(patient, "patient=" + P1);
    assertThat(own).extracting(CareTeam::getName).containsExactly("Ward CT1", "Diabetes team");
    String ownId = own.get(0).getIdElement().getIdPart();
    assertThat(patient.read().resource(CareTeam.class).withId(ownId).execute().getName())
        .isEqualTo("Ward CT1");
    assertThat(audit.search(AuditQuery.all().forPatient(P1).page(0, 1000)))
        .anySatisfy(e -> assertThat(e.entry().what()).isEqualTo("read CareTeam/" + ownId));

    String othersId = teams(system, "patient=" + P2).get(0).getIdElement().getIdPart();
    assertThatThrownBy(() -> patient.read().resource(CareTeam.class).withId(othersId).execute())
        .isInstanceOf(ForbiddenOperationException.class);
    assertThatThrownBy(() -> teams(patient, "patient=" + P2))
        .isInstanceOf(ForbiddenOperationException.class);
    // every team, of other patients too: refused as a whole
    assertThatThrownBy(() -> teams(patient, "status=active"))
        .isInstanceOf(ForbiddenOperationException.class);
  }

  @Test
  void staffSeeTheTeamsOfTheirPatientsAndNoOthers() {
    IGenericClient nurse = staff("ct-nurse");
    assertThat(teams(nurse, "patient=" + P1)).hasSize(2);
    assertThat(teams(nurse, "participant=Practitioner/ct-nurse"))
        .extracting(t -> t.getSubject().getReference())
        .containsExactly("Patient/" + P1);

    // a nurse of another ward
    IGenericClient far = staff("ct-far");
    String p1Ward = teams(system, "patient=" + P1).get(0).getIdElement().getIdPart();
    assertThatThrownBy(() -> far.read().resource(CareTeam.class).withId(p1Ward).execute())
        .isInstanceOf(ForbiddenOperationException.class);
    assertThatThrownBy(() -> teams(far, "patient=" + P1))
        .isInstanceOf(ForbiddenOperationException.class);
    assertThat(teams(far, "patient=" + P2))
        .extracting(CareTeam::getName)
        .containsExactly("Ward CT2");
    // their own teams, but not another's
    assertThat(teams(far, "participant=Practitioner/ct-far")).hasSize(1);
    assertThatThrownBy(() -> teams(far, "participant=Practitioner/ct-nurse"))
        .isInstanceOf(ForbiddenOperationException.class);

    // a member of a care team sees its patients' teams, wherever they lie
    assertThat(teams(staff("ct-diabetes-nurse"), "patient=" + P1)).hasSize(2);
  }

  @Test
  void aTokenWithoutACareTeamScopeIsRefused() {
    IGenericClient observationsOnly =
        api()
            .fhir(
                api()
                    .token(
                        "ct-obs",
                        clients.register("ct-obs", Set.of("system/Observation.rs"), "t"),
                        null));
    assertThatThrownBy(() -> teams(observationsOnly, "patient=" + P1))
        .isInstanceOf(ForbiddenOperationException.class)
        .hasMessageContaining("CareTeam");
    IGenericClient careTeamsOnly =
        api()
            .fhir(
                api()
                    .token(
                        "ct-teams",
                        clients.register("ct-teams", Set.of("system/CareTeam.rs"), "t"),
                        null));
    assertThat(teams(careTeamsOnly, "patient=" + P1)).hasSize(2);
  }

  private IGenericClient staff(String username) {
    return api().fhir(new WebSignIn(api().base()).accessToken(username, "pw", "openid user/*.rs"));
  }

  private static List<CareTeam> teams(IGenericClient client, String query) {
    Bundle bundle = client.search().byUrl("CareTeam?" + query).returnBundle(Bundle.class).execute();
    return bundle.getEntry().stream().map(e -> (CareTeam) e.getResource()).toList();
  }

  private static List<String> ids(List<CareTeam> teams) {
    return teams.stream().map(t -> t.getIdElement().getIdPart()).toList();
  }
}
