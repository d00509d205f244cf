package org.vigil.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.simulate.CredentialsFile;
import org.vigil.simulate.GroundTruth;
import org.vigil.simulate.Scenario;
import org.vigil.simulate.ScenarioReader;
import org.vigil.simulate.Simulation;
import org.vigil.simulate.Summary;
import org.vigil.testsupport.Browser;
import org.vigil.testsupport.BrowserScreenshots;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import org.vigil.testsupport.WebhookReceiver;

/**
 * Home care end to end, in real browsers: the simulator plays the shipped {@code home-care}
 * scenario (two weeks at home with a glucose monitor, a cuff, a scale and a pill dispenser, over
 * MQTT, with a night-time hypoglycaemia, a hypertensive-crisis reading and fluid building up) for a
 * patient in three programs, who also takes a water tablet by hand and has not said so for two
 * weeks. Then, as a nurse and as the patient would see it:
 *
 * <ul>
 *   <li>the ward's alarm list holds the chronic-care alarms the episodes should raise and the care
 *       team's missed-doses alarm;
 *   <li>the patient view's medicines say, dose for dose, what the simulator's ground truth says the
 *       dispenser did this week;
 *   <li>the portal reminds the patient of the dose due, she answers "I took it" and her week says
 *       so; the SMS gateway's webhook had the reminder too;
 *   <li>the portal's plain-language care-plan sentences are the report's "What the patient reads";
 *   <li>the program report, downloaded from the patient view and opened in the browser, counts the
 *       days with readings and the doses taken on time as the ground truth does.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HomeCareBrowserIT extends VigilServerTest {

  private static final String PATIENT = "hc-001";
  private static final String WARD = "Ward homecare-HC";
  private static final List<String> KINDS =
      List.of("glucose-monitor", "blood-pressure-cuff", "weight-scale", "pill-dispenser");

  @RegisterExtension final BrowserScreenshots browsers = new BrowserScreenshots();
  @TempDir Path downloads;

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;

  /** The scenario's end, near the wall clock: the last two weeks, played in 20 s. */
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);

  private Instant start;
  private LocalDate prescribedFrom;
  private GroundTruth truth;

  @BeforeAll
  void aWeekAndAHalfAtHome() throws Exception {
    patients.save(
        new Patient(
            PATIENT,
            "MRN-" + PATIENT,
            "Achterberg",
            "Hanna",
            Optional.of(LocalDate.of(1949, 2, 11)),
            "female",
            Optional.of(WARD),
            Optional.of("Home"),
            Instant.now()));
    TestWard ward = new TestWard(patients, devices);
    List<CredentialsFile.Entry> credentials = new ArrayList<>();
    for (String kind : KINDS) {
      String id = PATIENT + "-" + kind;
      credentials.add(new CredentialsFile.Entry(id, ward.device(id, kind, PATIENT), PATIENT, kind));
    }
    users.save(new UserAccount("hc-nurse", Role.NURSE, "hc-nurse", Optional.empty(), true), "pw");
    users.setWards("hc-nurse", Set.of(WARD));
    users.save(
        new UserAccount("hc-doctor", Role.CLINICIAN, "Dr Visser", Optional.empty(), true), "pw");
    users.setWards("hc-doctor", Set.of(WARD));
    users.save(
        new UserAccount("hc-patient", Role.PATIENT, "Hanna", Optional.of(PATIENT), true), "pw");
    String doctor =
        new WebSignIn(api().base())
            .accessToken("hc-doctor", "pw", "openid user/*.rs user/MedicationRequest.cu");
    HttpResponse<String> plan =
        api()
            .put(
                "/api/v1/patients/" + PATIENT + "/care-plan",
                doctor,
                "application/json",
                "{\"programs\":[\"diabetes\",\"hypertension\",\"heart-failure\"],"
                    + "\"timeZone\":\"UTC\",\"targets\":{\"targetWeightKg\":84}}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);

    // The dispenser's times, away from the run's end (every dose decided by then) and from the
    // week's edge; the water tablet's dose is due 20 minutes ago, so its reminder is on now.
    LocalTime clock = LocalTime.ofInstant(now, ZoneOffset.UTC);
    String morning = clock.plusHours(5).toString();
    String evening = clock.plusHours(11).toString();
    Scenario scenario =
        new ScenarioReader()
            .parse(
                new String(
                        getClass().getResourceAsStream("/scenarios/home-care.json").readAllBytes(),
                        StandardCharsets.UTF_8)
                    .replace("home-care-001", PATIENT)
                    .replace("\"08:00\", \"20:00\"", "\"" + morning + "\", \"" + evening + "\""),
                "home-care for " + PATIENT);
    double speed = scenario.duration().toSeconds() / 20.0;
    start = now.minus(scenario.duration());
    // from the first midnight of the run: every scheduled dose then falls inside it
    prescribedFrom = LocalDate.ofInstant(start, ZoneOffset.UTC).plusDays(1);
    var fhir = api().fhir(doctor);
    fhir.create()
        .resource(prescription("Metformin 500 mg", "1 tablet", 1, morning + ":00", evening + ":00"))
        .execute();
    fhir.create()
        .resource(
            prescription(
                "Furosemide 40 mg", "1 tablet", null, clock.minusMinutes(20).toString() + ":00"))
        .execute();

    Simulation simulation =
        Simulation.of(
            scenario,
            credentials,
            Optional.empty(),
            new Simulation.Settings(start, speed, Optional.empty(), Map.of(), 1000, 8),
            Optional.of(api().base()),
            Optional.of(URI.create("tcp://127.0.0.1:" + MQTT_PORT)),
            Optional.empty());
    truth = simulation.groundTruth();
    Summary summary = simulation.run(Duration.ofSeconds(90));
    System.out.println(summary.text());
    assertThat(summary.clean()).as(summary.text()).isTrue();
  }

  private MedicationRequest prescription(
      String medicine, String dose, Integer compartment, String... times) {
    MedicationRequest request = new MedicationRequest();
    request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    request.setSubject(new Reference("Patient/" + PATIENT));
    request.setMedication(new CodeableConcept().setText(medicine));
    var dosage = request.addDosageInstruction().setText(dose);
    var repeat = dosage.getTiming().getRepeat();
    for (String time : times) {
      repeat.addTimeOfDay(time);
    }
    repeat.setBounds(
        new Period()
            .setStart(
                java.util.Date.from(prescribedFrom.atStartOfDay(ZoneOffset.UTC).toInstant())));
    if (compartment != null) {
      request.addExtension(
          "https://vigil.health/fhir/StructureDefinition/dispenser-compartment",
          new IntegerType(compartment));
    }
    return request;
  }

  /** The metformin doses the simulator's patient took on time, late or missed, due in a window. */
  private List<GroundTruth.DoseTruth> metforminDue(Predicate<Instant> when) {
    return truth.doses().stream()
        .filter(d -> d.patientId().equals(PATIENT))
        .filter(d -> when.test(Instant.parse(d.dueAt())))
        .toList();
  }

  private static long count(List<GroundTruth.DoseTruth> doses, String fate) {
    return doses.stream().filter(d -> d.fate().equals(fate)).count();
  }

  /** The medicines sentence the web app writes for a week (medications.js). */
  private static String week(String medicine, String who, List<GroundTruth.DoseTruth> doses) {
    long onTime = count(doses, "on-time");
    long late = count(doses, "late");
    long missed = count(doses, "missed");
    long decided = onTime + late + missed;
    return medicine
        + ": "
        + who
        + " "
        + onTime
        + " of "
        + decided
        + " dose"
        + (decided > 1 ? "s" : "")
        + " on time this week ("
        + String.format(Locale.ROOT, "%.1f", 100.0 * onTime / decided)
        + " %)"
        + (late > 0 ? ", " + late + " late" : "")
        + (missed > 0 ? ", " + missed + " missed" : "")
        + ".";
  }

  private static List<String> texts(Browser browser, String css) {
    return browser.all(css).stream().map(WebElement::getText).toList();
  }

  @Test
  void theSimulatedFortnightReachesTheNurseThePatientAndTheProgramReport() throws Exception {
    List<GroundTruth.DoseTruth> thisWeek =
        metforminDue(at -> !at.isBefore(now.minus(Duration.ofDays(7))) && !at.isAfter(now));
    assertThat(thisWeek).hasSizeGreaterThanOrEqualTo(12);

    // The nurse: the alarms the fortnight raised, on the ward's list.
    Browser nurse =
        browsers
            .watch(Browser.savingDownloadsTo("nurse", api().base(), downloads))
            .signIn("hc-nurse", "pw");
    List<String> alarms =
        nurse.await(
            Duration.ofSeconds(30),
            d -> {
              List<String> listed = texts(nurse, "li.alarm");
              boolean all =
                  listed.stream().anyMatch(a -> a.contains("Level 2 hypoglycaemia"))
                      && listed.stream().anyMatch(a -> a.contains("Hypertensive crisis"))
                      && listed.stream().anyMatch(a -> a.contains("Weight up"))
                      && listed.stream()
                          .anyMatch(a -> a.contains("doses in a row of Furosemide 40 mg missed"));
              if (!all) {
                nurse.driver().navigate().refresh();
                return null;
              }
              return listed;
            });
    assertThat(alarms.stream().filter(a -> a.contains("Level 2 hypoglycaemia")))
        .allSatisfy(a -> assertThat(a).contains("HIGH").contains("Achterberg"));
    assertThat(alarms.stream().filter(a -> a.contains("Hypertensive crisis")))
        .allSatisfy(a -> assertThat(a).contains("HIGH"));
    assertThat(alarms.stream().filter(a -> a.contains("Weight up")))
        .allSatisfy(a -> assertThat(a).contains("MEDIUM").contains("more than 2.0 kg"));

    // The patient view: this week's metformin, dose for dose as the dispenser gave it.
    nurse.go("/#/patient/" + PATIENT);
    nurse.visible("#medicines-heading");
    String metforminWeek = week("Metformin 500 mg", "Taken", thisWeek);
    nurse.await(d -> nurse.find("#medicine-list").getText().contains(metforminWeek));
    nurse.await(d -> nurse.find("#report-html").isDisplayed());

    // The portal: the reminder of the water tablet; "I took it".
    Browser patient =
        browsers.watch(Browser.open("patient", api().base())).signIn("hc-patient", "pw");
    patient.visible("#your-medicines-heading");
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
        .contains("Time for your Furosemide 40 mg (1 tablet)");
    assertThat(
            WebhookReceiver.shared()
                .await(
                    r ->
                        r.path().equals("/medication-hook/sms")
                            && r.text().contains("Patient/" + PATIENT)
                            && r.text().contains("Furosemide 40 mg"),
                    1,
                    Duration.ofSeconds(10)))
        .isNotEmpty();
    patient.click("#medication-reminders .reminder button");
    patient.await(d -> patient.all("#medication-reminders .reminder").isEmpty());
    // seven daily doses this week, the six before today never reported
    patient.await(d ->
        patient
            .find("#medication-week")
            .getText()
            .contains(
                "Furosemide 40 mg: You took 1 of 7 doses on time this week (14.3 %), 6 missed."));
    assertThat(patient.textOf("#medication-week"))
        .contains(week("Metformin 500 mg", "You took", thisWeek));
    patient.visible("#care-heading");
    List<String> portalSentences = texts(patient, "section.care-summary p[data-topic]");
    assertThat(portalSentences).hasSize(3);
    assertThat(
            patient.find("section.care-summary p[data-topic='weight']").getAttribute("data-status"))
        .isEqualTo("alert");
    assertThat(patient.textOf("section.care-summary p[data-topic='weight']"))
        .contains("please call your care team today");

    // The program report, as the nurse files it: downloaded, then opened in her browser.
    nurse.driver().navigate().refresh();
    nurse.click("#report-html");
    Path report = downloads.resolve("program-report-" + PATIENT + ".html");
    nurse.await(Duration.ofSeconds(20), d -> Files.exists(report) ? true : null);
    nurse.driver().get(report.toUri().toString());
    String filed = nurse.textOf("main.program-report");
    long days =
        ChronoUnit.DAYS.between(
                LocalDate.ofInstant(start, ZoneOffset.UTC),
                LocalDate.ofInstant(now, ZoneOffset.UTC))
            + 1;
    assertThat(filed).contains("Days with readings: " + days + " of ");
    assertThat(filed).contains("Programs: ");
    // every dose since the prescriptions began: the dispenser's as the ground truth says, and the
    // water tablet's, all missed but today's
    Instant prescribed = prescribedFrom.atStartOfDay(ZoneOffset.UTC).toInstant();
    List<GroundTruth.DoseTruth> all =
        metforminDue(at -> !at.isBefore(prescribed) && !at.isAfter(now));
    long waterTablets =
        ChronoUnit.DAYS.between(
                prescribedFrom,
                LocalDate.ofInstant(now.minus(Duration.ofMinutes(20)), ZoneOffset.UTC))
            + 1;
    long onTime = count(all, "on-time") + 1;
    long decided = all.size() + waterTablets;
    assertThat(filed)
        .contains(
            "Doses on time " + String.format(Locale.ROOT, "%.1f", 100.0 * onTime / decided) + "%")
        .contains(
            onTime
                + " of "
                + decided
                + " scheduled doses taken within 60 min of their time, "
                + count(all, "late")
                + " late, "
                + (count(all, "missed") + waterTablets - 1)
                + " missed");
    for (String sentence : portalSentences) {
      assertThat(filed).contains(sentence);
    }
  }
}
