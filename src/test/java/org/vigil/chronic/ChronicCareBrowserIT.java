package org.vigil.chronic;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.audit.AuditAgent;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.Browser;
import org.vigil.testsupport.BrowserScreenshots;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilServerTest;

/**
 * Chronic care in a real browser: the patient's portal says in words how their week's home blood
 * pressure stands against their own target and that their few glucose readings are too few to
 * judge; their clinician's patient view shows the care plan's figures, downloads the program report
 * (audited) and logs the time the view was open as review time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChronicCareBrowserIT extends VigilServerTest {

  private static final String WARD = "CB Home";
  private static final String PATIENT = "cb-1";

  @RegisterExtension final BrowserScreenshots browsers = new BrowserScreenshots();

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired ClientRegistry clients;
  @Autowired CarePlans plans;
  @Autowired ReviewTimes reviews;

  @BeforeAll
  void home() {
    patients.save(
        new Patient(
            PATIENT,
            "MRN-" + PATIENT,
            "Dahl",
            "Greta",
            Optional.of(LocalDate.of(1949, 5, 2)),
            "female",
            Optional.of(WARD),
            Optional.empty(),
            Instant.now()));
    String cuff = new TestWard(patients, devices).device("cb-cuff", "blood-pressure-cuff", PATIENT);
    String meter = new TestWard(patients, devices).device("cb-meter", "glucose-meter", PATIENT);
    users.save(
        new UserAccount("cb-doctor", Role.CLINICIAN, "Dr Lund", Optional.empty(), true), "pw-cb-d");
    users.setWards("cb-doctor", Set.of(WARD));
    users.save(
        new UserAccount("cb-greta", Role.PATIENT, "Greta", Optional.of(PATIENT), true), "pw-cb-p");
    plans.save(
        PATIENT,
        true,
        Set.of(CareProgram.HYPERTENSION, CareProgram.DIABETES),
        ZoneOffset.UTC,
        CareTargets.defaults(Set.of()),
        Optional.empty(),
        AuditAgent.local());
    // Six days of duplicate morning (07:00) and evening (20:00) readings before today: the first
    // is discarded, the other five average 146/91, above the target of 135/85.
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<String> readings = new ArrayList<>();
    for (int d = 6; d >= 1; d--) {
      for (int hour : new int[] {7, 20}) {
        for (int minute : new int[] {0, 2}) {
          Instant at = today.minusDays(d).atTime(hour, minute).toInstant(ZoneOffset.UTC);
          readings.add(reading("8480-6", 146, "mm[Hg]", at));
          readings.add(reading("8462-4", 91, "mm[Hg]", at));
        }
      }
    }
    post("cb-cuff", cuff, readings);
    List<String> glucose = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      glucose.add(
          reading("41653-7", 120, "mg/dL", Instant.now().minus(Duration.ofHours(6L * i + 1))));
    }
    post("cb-meter", meter, glucose);
  }

  private void post(String device, String token, List<String> readings) {
    HttpResponse<String> posted =
        api()
            .postJson(
                "/api/v1/ingest/" + device,
                token,
                "{\"measurements\":[" + String.join(",", readings) + "]}");
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
  }

  private static String reading(String code, double value, String unit, Instant time) {
    return "{\"code\":\""
        + code
        + "\",\"value\":"
        + value
        + ",\"unit\":\""
        + unit
        + "\",\"time\":\""
        + time
        + "\"}";
  }

  @Test
  void thePatientReadsTheirWeekAgainstTheirTargetsInPlainWords() {
    Browser patient =
        browsers.watch(Browser.open("cb-patient", api().base())).signIn("cb-greta", "pw-cb-p");
    patient.visible("#care-heading");
    String bp = patient.textOf(".care-summary [data-topic='blood-pressure']");
    assertThat(bp)
        .isEqualTo(
            "Your average blood pressure at home this week was 146/91 (mornings 146/91), above"
                + " your target of 135/85.");
    assertThat(
            patient.find(".care-summary [data-topic='blood-pressure']").getAttribute("data-status"))
        .isEqualTo("above-target");
    // Ten meter readings in 14 days: far from 70 % of a CGM's, and said so, never "in range".
    String glucose = patient.textOf(".care-summary [data-topic='glucose']");
    assertThat(glucose).contains("too few to say").doesNotContain("in your target range");
  }

  @Test
  void theClinicianSeesTheFiguresDownloadsTheReportAndReviewTimeIsLogged() throws Exception {
    Instant opened = Instant.now().minusSeconds(5);
    Browser doctor =
        browsers.watch(Browser.open("cb-doctor", api().base())).signIn("cb-doctor", "pw-cb-d");
    doctor.go("/#/patient/" + PATIENT);
    doctor.await(d -> doctor.find(".care-plan .care-figures").getText().contains("146/91 mmHg"));
    assertThat(doctor.textOf(".care-plan .care-figures"))
        .contains("insufficient data, at least 70 % needed");
    doctor.visible(".care-plan figure.agp");
    doctor.click("#report-pdf");

    String auditor =
        api()
            .token(
                "cb-auditor",
                clients.register("cb-auditor", Set.of("system/AuditEvent.rs"), "t"),
                null);
    doctor.await(d ->
        api()
            .get("/fhir/AuditEvent?patient=" + PATIENT + "&_count=200", auditor)
            .body()
            .contains("read program report (pdf)"));

    Thread.sleep(1500); // at least a second open, the smallest review time logged
    doctor.go("/#/");
    doctor.await(
        d -> !reviews.of(PATIENT, opened, Instant.now().plusSeconds(60)).isEmpty() ? true : null);
    ReviewTimes.ByPerson logged =
        reviews.of(PATIENT, opened, Instant.now().plusSeconds(60)).getFirst();
    assertThat(logged.username()).isEqualTo("cb-doctor");
    assertThat(logged.seconds()).isPositive();
  }
}
