package org.vigil.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.Browser;
import org.vigil.testsupport.BrowserScreenshots;
import org.vigil.testsupport.VigilServerTest;

/**
 * Medicines in the web app, in a real browser: a nurse prescribes a medicine on the patient view (a
 * dose due 20 minutes ago, from today), the patient's portal shows the reminder, the patient
 * answers "I took it", and the portal's week says so in plain words — and both pages pass axe's
 * WCAG 2.1 AA rules with the new sections on them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MedicationBrowserIT extends VigilServerTest {

  private static final String WARD = "Ward meds-W";

  @RegisterExtension final BrowserScreenshots browsers = new BrowserScreenshots();

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;

  @BeforeAll
  void people() {
    patients.save(
        new Patient(
            "wmed-1",
            "MRN-wmed-1",
            "Oduya",
            "Grace",
            Optional.of(LocalDate.of(1947, 9, 22)),
            "female",
            Optional.of(WARD),
            Optional.of("Home"),
            Instant.now()));
    users.save(
        new UserAccount("wmed-nurse", Role.NURSE, "wmed-nurse", Optional.empty(), true), "pw-wmn");
    users.setWards("wmed-nurse", Set.of(WARD));
    users.save(
        new UserAccount("wmed-patient", Role.PATIENT, "Grace", Optional.of("wmed-1"), true),
        "pw-wmp");
  }

  private static List<String> accessibilityProblems(Browser browser, String page) {
    Results results =
        new AxeBuilder()
            .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
            .analyze(browser.driver());
    assertThat(results.getPasses()).as(page + ": rules axe checked").hasSizeGreaterThan(5);
    return results.getViolations().stream()
        .map(rule -> page + ": " + rule.getId() + " (" + rule.getHelp() + ")")
        .toList();
  }

  @Test
  void aNursePrescribesAndThePatientIsRemindedAndSaysTheyTookIt() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Instant due = now.minus(Duration.ofMinutes(20));
    // the dose must fall on today (UTC, the test node's zone) for a schedule starting today
    Assumptions.assumeTrue(
        LocalDate.ofInstant(due, ZoneOffset.UTC).equals(LocalDate.ofInstant(now, ZoneOffset.UTC)),
        "too close to midnight UTC");
    String time = LocalTime.ofInstant(due, ZoneOffset.UTC).toString().substring(0, 5);

    Browser nurse =
        browsers.watch(Browser.open("nurse", api().base())).signIn("wmed-nurse", "pw-wmn");
    nurse.go("/#/patient/wmed-1");
    nurse.visible("#medicines-heading");
    nurse.await(d -> nurse.find("#medicine-list").getText().contains("No medicines"));
    nurse.find("#med-name").sendKeys("Metformin 500 mg tablet");
    nurse.find("#med-dose").sendKeys("1 tablet");
    nurse.find("#med-times").sendKeys(time);
    nurse.click("form.prescribe button[type=submit]");
    nurse.await(d -> nurse.find("#medicine-list").getText().contains("Metformin 500 mg tablet"));
    assertThat(nurse.textOf("#medicine-list")).contains("at " + time + " (UTC)");
    assertThat(accessibilityProblems(nurse, "patient view with medicines")).isEmpty();

    Browser patient =
        browsers.watch(Browser.open("patient", api().base())).signIn("wmed-patient", "pw-wmp");
    patient.visible("#your-medicines-heading");
    // the reminder is sent by the watch within a second; the portal reads it when it opens
    patient.await(
        Duration.ofSeconds(30),
        d -> {
          if (patient.all("#medication-reminders .reminder").isEmpty()) {
            patient.driver().navigate().refresh();
            return null;
          }
          return true;
        });
    assertThat(patient.textOf("#medication-reminders"))
        .contains("Time for your Metformin 500 mg tablet (1 tablet)");
    assertThat(accessibilityProblems(patient, "portal with a reminder")).isEmpty();
    patient.click("#medication-reminders .reminder button");
    patient.await(d -> patient.all("#medication-reminders .reminder").isEmpty());
    patient.await(d ->
        patient
            .find("#medication-week")
            .getText()
            .contains(
                "Metformin 500 mg tablet: You took 1 of 1 dose on time this week (100.0 %)."));

    // the nurse sees it too
    nurse.driver().navigate().refresh();
    nurse.await(d ->
        nurse.find("#medicine-list").getText().contains("Taken 1 of 1 dose on time this week"));
  }
}
