package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.testsupport.VigilProcess;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * A care team made at the command line: its clinician, on no ward, sees the team's patient and no
 * other; when the team stops looking after the patient, so does the clinician's access.
 */
class CareTeamsIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired UserAccounts users;
  @Autowired CareTeams teams;

  private void admit(String id, String ward) {
    patients.save(
        new Patient(
            id,
            "MRN-" + id,
            "Family",
            "Given",
            Optional.empty(),
            "unknown",
            Optional.of(ward),
            Optional.empty(),
            Instant.now()));
  }

  @Test
  void aTeamMemberSeesTheTeamsPatientsAndNoOthers() {
    admit("ct-patient-1", "CT-A");
    admit("ct-patient-2", "CT-B");
    users.save(new UserAccount("ct-doctor", Role.CLINICIAN, "Dr", Optional.empty(), true), "pw-ct");

    VigilProcess.Result created =
        VigilProcess.run(
            Duration.ofSeconds(90),
            "teams",
            "create",
            "heart-failure",
            "--name",
            "Heart failure service",
            "--member",
            "ct-doctor",
            "--patient",
            "ct-patient-1",
            "--data-dir",
            DATA_DIR.toString());
    assertThat(created.exitCode()).as(created.stderr()).isZero();

    String doctor =
        new WebSignIn(api().base()).accessToken("ct-doctor", "pw-ct", "openid user/*.rs");
    assertThat(api().get("/fhir/Patient/ct-patient-1", doctor).statusCode()).isEqualTo(200);
    assertThat(api().get("/fhir/Patient/ct-patient-2", doctor).statusCode()).isEqualTo(403);

    teams.removePatient("heart-failure", "ct-patient-1");
    assertThat(api().get("/fhir/Patient/ct-patient-1", doctor).statusCode()).isEqualTo(403);
  }
}
