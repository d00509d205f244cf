package org.vigil.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.simulate.DeviceKind;
import org.vigil.simulate.SimulatedDevice;
import org.vigil.simulate.WardSimulator;
import org.vigil.testsupport.Browser;
import org.vigil.testsupport.BrowserScreenshots;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;

/**
 * The web app in a real browser (Debian's Chromium, headless) against a whole node: people sign in
 * through the OIDC flow, a tile follows the readings a device sends without a reload, an alarm
 * shows on two nurses' screens and one nurse's acknowledgement reaches the other's, the patient
 * view charts what was stored, and a patient sees their own record and no one else's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAppBrowserIT extends VigilServerTest {

  private static final String WARD = "Ward 9W";

  @RegisterExtension final BrowserScreenshots browsers = new BrowserScreenshots();

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;

  @Autowired ClientRegistry clients;

  private String readerToken;
  private String monitor1;
  private String monitor2;
  private String spare;
  private Instant clock = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);

  @BeforeAll
  void ward() {
    patient("wb-1", "Achterberg", "Ilse", WARD, "Bed 1");
    patient("wb-2", "Brandt", "Tomas", WARD, "Bed 2");
    patient("wb-other", "Castellanos", "Rosa", "Ward 2C", "Bed 4");
    TestWard ward = new TestWard(patients, devices);
    monitor1 = ward.device("wb-monitor-1", "bedside-monitor", "wb-1");
    monitor2 = ward.device("wb-monitor-2", "bedside-monitor", "wb-2");
    ward.device("wb-monitor-other", "bedside-monitor", "wb-other");
    spare = ward.device("wb-spare-oximeter", "pulse-oximeter", "wb-other");
    staff("wb-nurse", Role.NURSE, "pw-wb-nurse");
    staff("wb-nurse-2", Role.NURSE, "pw-wb-nurse-2");
    readerToken =
        api()
            .token(
                "wb-reader",
                clients.register("wb-reader", Set.of("system/*.rs"), "browser test reader"),
                "system/*.rs");
    users.save(
        new UserAccount("wb-patient", Role.PATIENT, "Ilse", Optional.of("wb-1"), true),
        "pw-wb-patient");
    users.save(
        new UserAccount("wb-admin", Role.ADMIN, "Ada Admin", Optional.empty(), true),
        "pw-wb-admin");
  }

  private void patient(String id, String family, String given, String ward, String bed) {
    patients.save(
        new Patient(
            id,
            "MRN-" + id,
            family,
            given,
            Optional.of(LocalDate.of(1948, 7, 2)),
            "female",
            Optional.of(ward),
            Optional.of(bed),
            Instant.now()));
  }

  private void staff(String username, Role role, String password) {
    users.save(new UserAccount(username, role, username, Optional.empty(), true), password);
    users.setWards(username, Set.of(WARD));
  }

  /** The monitor sends one heart rate (and an SpO2), timed a second after the last. */
  private void heartRate(String device, String token, double bpm) {
    clock = clock.plusSeconds(1);
    String body =
        "{\"time\":\""
            + clock
            + "\",\"measurements\":[{\"code\":\"8867-4\",\"value\":"
            + bpm
            + ",\"unit\":\"/min\"},{\"code\":\"59408-5\",\"value\":97,\"unit\":\"%\"}]}";
    HttpResponse<String> posted = api().postJson("/api/v1/ingest/" + device, token, body);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
  }

  private Browser signedIn(String name, String username, String password) {
    return browsers.watch(Browser.open(name, api().base())).signIn(username, password);
  }

  private static String tile(String patientId) {
    return "li.tile[data-patient-id='" + patientId + "']";
  }

  private static String heartRateOf(Browser browser, String patientId) {
    return browser.find(tile(patientId) + " .vital[data-code='8867-4'] .value").getText();
  }

  @Test
  void aNurseSignsInThroughTheSignInPageAndSeesHerWardOnly() {
    Browser nurse = signedIn("nurse", "wb-nurse", "pw-wb-nurse");

    nurse.visible(tile("wb-1"));
    assertThat(nurse.all("li.tile"))
        .extracting(t -> t.getAttribute("data-patient-id"))
        .contains("wb-1", "wb-2")
        .doesNotContain("wb-other");
    assertThat(nurse.textOf(tile("wb-1") + " .name")).isEqualTo("Achterberg, Ilse");
    assertThat(nurse.textOf(tile("wb-1") + " .bed")).isEqualTo(WARD + " · Bed 1");
    assertThat(nurse.textOf("#who .user")).contains("wb-nurse", "nurse");
    // signed in through Vigil's authorization server, back on the app with a token of her own
    assertThat(nurse.driver().getCurrentUrl()).doesNotContain("code=").doesNotContain("/login");
  }

  @Test
  void aTileFollowsTheReadingsWithoutAReload() {
    Browser nurse = signedIn("nurse", "wb-nurse", "pw-wb-nurse");
    nurse.visible(tile("wb-1"));
    nurse.await(d -> nurse.find(".stream-state").getText().equals("Live"));
    nurse.script("window.notReloaded = true;");

    heartRate("wb-monitor-1", monitor1, 71);
    nurse.await(Duration.ofSeconds(10), d -> heartRateOf(nurse, "wb-1").equals("71"));
    heartRate("wb-monitor-1", monitor1, 74);
    nurse.await(Duration.ofSeconds(10), d -> heartRateOf(nurse, "wb-1").equals("74"));

    assertThat(nurse.script("return window.notReloaded === true;")).isEqualTo(true);
  }

  /** The simulator's bedside monitor, sending over HTTP as a real one would, moves the tile. */
  @Test
  void aTileFollowsTheSimulatorsMonitorLive() {
    patient("wb-sim", "Dahl", "Sigrid", WARD, "Bed 3");
    String token =
        new TestWard(patients, devices).device("wb-sim-monitor", "bedside-monitor", "wb-sim");
    Browser nurse = signedIn("nurse", "wb-nurse", "pw-wb-nurse");
    nurse.visible(tile("wb-sim"));
    nurse.await(d -> nurse.find(".stream-state").getText().equals("Live"));
    nurse.script("window.notReloaded = true;");
    Set<String> shown = new java.util.HashSet<>();
    try (WardSimulator simulator =
        new WardSimulator(
            api().base(),
            List.of(
                new SimulatedDevice(
                    "wb-sim-monitor", token, "wb-sim", DeviceKind.ofType("bedside-monitor"))),
            7,
            java.time.Clock.systemUTC())) {
      simulator.start();
      // the simulated physiology varies beat to beat: the tile shows several rates in turn
      nurse.await(
          Duration.ofSeconds(30),
          d -> {
            String rate = heartRateOf(nurse, "wb-sim");
            if (rate.matches("\\d+")) {
              shown.add(rate);
            }
            return shown.size() >= 3 ? true : null;
          });
    }
    assertThat(nurse.script("return window.notReloaded === true;")).isEqualTo(true);
  }

  @Test
  void anAlarmShowsOnEveryNursesScreenAndOneNursesAcknowledgementReachesTheOther() {
    Browser first = signedIn("first-nurse", "wb-nurse", "pw-wb-nurse");
    Browser second = signedIn("second-nurse", "wb-nurse-2", "pw-wb-nurse-2");
    for (Browser b : new Browser[] {first, second}) {
      b.visible(tile("wb-2"));
      b.await(d -> b.find(".stream-state").getText().equals("Live"));
    }

    // tachycardia above the default limit of 120, held past the condition delay
    for (int i = 0; i < 4; i++) {
      heartRate("wb-monitor-2", monitor2, 150);
    }
    String alarmCss = "li.alarm[data-status='active']";
    String alarmId =
        first.await(
            Duration.ofSeconds(20),
            d -> {
              WebElement raised = alarmIn(first, alarmCss);
              return raised == null ? null : raised.getAttribute("data-alarm-id");
            });
    second.await(Duration.ofSeconds(10), d -> alarmIn(second, alarmCss));
    assertThat(first.textOf("li.alarm[data-alarm-id='" + alarmId + "']")).contains("Brandt, Tomas");
    // the tile says so too
    first.await(d -> first.find(tile("wb-2")).getAttribute("class").contains("alarmed"));

    String acknowledged = "li.alarm[data-alarm-id='" + alarmId + "'][data-status='acknowledged']";
    first.click("li.alarm[data-alarm-id='" + alarmId + "'] button.acknowledge");
    first.visible(acknowledged);
    long clicked = System.nanoTime();
    second.visible(acknowledged);
    long millis = (System.nanoTime() - clicked) / 1_000_000;
    System.out.printf(
        "acknowledgement seen by the other nurse %d ms after the first saw it%n", millis);
    assertThat(second.textOf(acknowledged)).contains("Acknowledged by wb-nurse");
  }

  private static WebElement alarmIn(Browser browser, String css) {
    return browser.all(css).stream()
        .filter(a -> a.getText().contains("Brandt"))
        .findFirst()
        .orElse(null);
  }

  @Test
  void thePatientViewChartsEveryReadingOfTheLastHour() {
    for (int i = 0; i < 30; i++) {
      heartRate("wb-monitor-1", monitor1, 60 + i);
    }
    Browser nurse = signedIn("nurse", "wb-nurse", "pw-wb-nurse");
    nurse.click(tile("wb-1") + " a.tile-link");

    nurse.visible("#patient-heading");
    nurse.await(d -> nurse.find("#patient-heading").getText().equals("Achterberg, Ilse"));
    nurse.click("button[data-range='1h']");
    nurse.await(
        d -> nurse.find("figure.chart[data-code='8867-4'] canvas").getSize().getWidth() > 0);
    long stored = storedHeartRates("wb-1", clock.minus(Duration.ofHours(1)));
    // the chart holds every heart rate of the hour that the API holds, no more, no fewer
    nurse.await(d ->
        String.valueOf(stored)
            .equals(nurse.find("figure.chart[data-code='8867-4']").getAttribute("data-points")));
    assertThat(stored).isGreaterThanOrEqualTo(30);
  }

  /** How many heart rates of the patient since then the FHIR API holds. */
  private long storedHeartRates(String patientId, Instant since) {
    HttpResponse<String> count =
        api()
            .get(
                "/fhir/Observation?patient="
                    + patientId
                    + "&code=http://loinc.org%7C8867-4&date=ge"
                    + since
                    + "&_summary=count",
                readerToken);
    assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
    return VigilApi.json(count.body()).path("total").asLong();
  }

  @Test
  void aPatientSeesTheirOwnRecordAndNoOneElses() {
    heartRate("wb-monitor-1", monitor1, 66);
    Browser patient = signedIn("patient", "wb-patient", "pw-wb-patient");

    patient.visible("#portal-heading");
    patient.await(d -> patient.find("#portal-heading").getText().equals("Hello, Ilse"));
    patient.await(d ->
        patient
            .find("#week-heading")
            .findElement(By.xpath(".."))
            .getText()
            .contains("Your heart rate this week averaged"));
    assertThat(patient.all("li.tile")).isEmpty();

    // the app's own token, used for someone else's record, is refused by the API
    Object status =
        patient.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "const token = JSON.parse(sessionStorage.getItem('vigil.session')).accessToken;"
                + "fetch('/fhir/Patient/wb-2', {headers: {Authorization: 'Bearer ' + token}})"
                + ".then(r => done(r.status));");
    assertThat(((Number) status).intValue()).isEqualTo(403);
  }

  @Test
  void aPatientAndTheirNurseExchangeMessagesWithAPictureAndAReadReceipt(@TempDir Path files)
      throws Exception {
    BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    image.setRGB(5, 5, 0xff0000);
    Path picture = files.resolve("swollen-ankle.png");
    ImageIO.write(image, "png", picture.toFile());
    String words = "My ankle is swollen again, photo attached " + System.nanoTime();

    Browser patient = signedIn("patient", "wb-patient", "pw-wb-patient");
    patient.visible("#messages-heading");
    patient.find("#message-text").sendKeys(words);
    patient.find("#message-file").sendKeys(picture.toAbsolutePath().toString());
    patient.click(".message-form button[type=submit]");
    String sent = patient.await(Duration.ofSeconds(10), d -> textOf(messageSaying(patient, words)));
    assertThat(sent).contains("You").contains("swollen-ankle.png").contains("Not read yet");

    Browser nurse = signedIn("nurse", "wb-nurse", "pw-wb-nurse");
    nurse.go("/#/patient/wb-1");
    String received = nurse.await(Duration.ofSeconds(10), d -> textOf(messageSaying(nurse, words)));
    assertThat(received).contains("Ilse").contains("swollen-ankle.png");
    String reply = "Keep it raised, the doctor calls you at 3 pm " + System.nanoTime();
    nurse.find("#message-text").sendKeys(reply);
    nurse.click(".message-form button[type=submit]");
    nurse.await(Duration.ofSeconds(10), d -> messageSaying(nurse, reply));

    // the patient's open thread looks again by itself: the reply arrives, her message was read
    patient.await(Duration.ofSeconds(25), d -> messageSaying(patient, reply));
    patient.await(
        Duration.ofSeconds(25),
        d -> messageSaying(patient, words).getText().contains("Read ") ? true : null);
  }

  private static String textOf(WebElement element) {
    return element == null ? null : element.getText();
  }

  private static WebElement messageSaying(Browser browser, String text) {
    return browser.all("li.message-item").stream()
        .filter(m -> m.getText().contains(text))
        .findFirst()
        .orElse(null);
  }

  @Test
  void theWardWorksWithTheKeyboardAlone() {
    Browser nurse = signedIn("nurse", "wb-nurse", "pw-wb-nurse");
    nurse.visible(tile("wb-1"));
    WebElement focused = null;
    for (int i = 0; i < 40; i++) {
      nurse.driver().switchTo().activeElement().sendKeys(Keys.TAB);
      focused = nurse.driver().switchTo().activeElement();
      if ("a".equals(focused.getTagName())
          && String.valueOf(focused.getAttribute("class")).contains("tile-link")) {
        break;
      }
    }
    assertThat(focused).isNotNull();
    assertThat(focused.getAttribute("class")).contains("tile-link");
    // focus is visible: the focused link draws an outline
    Object outline =
        nurse.script(
            "const s = getComputedStyle(document.activeElement);"
                + " return s.outlineStyle + ' ' + s.outlineWidth;");
    assertThat(String.valueOf(outline)).doesNotStartWith("none").doesNotContain(" 0px");
    nurse.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
    nurse.visible("#patient-heading");
  }

  @Test
  void onAPhoneTheWardFitsTheScreenWidth() {
    Browser phone =
        browsers.watch(Browser.phone("phone", api().base())).signIn("wb-nurse", "pw-wb-nurse");
    phone.visible(tile("wb-1"));
    Object overflow =
        phone.script("return document.documentElement.scrollWidth - window.innerWidth;");
    assertThat(((Number) overflow).intValue()).as("no sideways scrolling").isLessThanOrEqualTo(0);
    // measured in one go in the page: the live ward may redraw its tiles at any moment
    Object spare =
        phone.script(
            "return window.innerWidth - document.querySelector(arguments[0])"
                + ".getBoundingClientRect().width;",
            tile("wb-1"));
    assertThat(((Number) spare).doubleValue())
        .as("the tile fits the screen")
        .isGreaterThanOrEqualTo(0);
    phone.screenshot("ward-on-a-phone");
  }

  @Test
  void anAdministratorRunsDevicesDeadLettersTemplatesAndTheAudit() {
    // a message the device cannot send: it becomes a dead letter with its reason
    HttpResponse<String> garbage =
        api().postJson("/api/v1/ingest/wb-spare-oximeter", spare, "{\"time\": \"yesterday\"}");
    assertThat(garbage.statusCode()).isEqualTo(400);
    api().get("/fhir/Patient/wb-1", readerToken);

    Browser admin = signedIn("admin", "wb-admin", "pw-wb-admin");
    String row = "tr[data-device-id='wb-spare-oximeter']";
    admin.visible(row);
    assertThat(admin.find(row).getText()).contains("pulse-oximeter");
    assertThat(admin.find(row + " .device-status").getText()).containsAnyOf("Online", "Offline");

    admin.click(row + " button.rotate");
    String issued = admin.visible(".token-reveal code.token").getText();
    assertThat(issued).isNotBlank().isNotEqualTo(spare);
    String reading =
        "{\"time\":\""
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + "\",\"measurements\":[{\"code\":\"59408-5\",\"value\":96,\"unit\":\"%\"}]}";
    assertThat(api().postJson("/api/v1/ingest/wb-spare-oximeter", spare, reading).statusCode())
        .as("the old credential no longer works")
        .isEqualTo(401);
    assertThat(api().postJson("/api/v1/ingest/wb-spare-oximeter", issued, reading).statusCode())
        .isEqualTo(202);

    admin.click(row + " button.unassign");
    admin.await(d -> admin.all(row + " button.unassign").isEmpty() ? true : null);

    admin.click("nav.tabs a[href='#/admin/dead-letters']");
    WebElement letter =
        admin.await(d ->
            admin.all("tr[data-dead-letter-id]").stream()
                .filter(r -> r.getText().contains("wb-spare-oximeter"))
                .findFirst()
                .orElse(null));
    assertThat(letter.getText()).contains("time");

    admin.click("nav.tabs a[href='#/admin/templates']");
    admin.visible("#template-choice");
    new org.openqa.selenium.support.ui.Select(admin.find("#template-choice"))
        .selectByValue("trueweigh-scale");
    admin.await(d -> admin.find("#template-text").getAttribute("value").contains("29463-7"));
    admin
        .find("#template-payload")
        .sendKeys(
            "{\"scale\": \"TW5-1\", \"timestamp\": 1764700000, \"weight\": 154.2, \"unit\": \"lb\"}");
    admin.click(".template-test button[type=submit]");
    admin.await(d -> admin.find("#template-output").getText().contains("Readings: 1"));

    admin.click("nav.tabs a[href='#/admin/audit']");
    admin.click("#verify-chain");
    admin.await(d -> admin.find("#audit-verdict").getText().startsWith("Intact: all"));
    admin.find("#audit-patient").sendKeys("wb-1");
    admin.click(".audit-search button[type=submit]");
    admin.await(d ->
        admin.all(".audit-results tbody tr").stream()
            .anyMatch(r -> r.getText().contains("wb-reader")));
    admin.screenshot("administration-audit");

    // a nurse's token from the same app does not administer devices
    Browser nurse = signedIn("nurse", "wb-nurse", "pw-wb-nurse");
    nurse.visible(tile("wb-1"));
    Object status =
        nurse.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "const token = JSON.parse(sessionStorage.getItem('vigil.session')).accessToken;"
                + "fetch('/api/v1/devices', {headers: {Authorization: 'Bearer ' + token}})"
                + ".then(r => done(r.status));");
    assertThat(((Number) status).intValue()).isEqualTo(403);
  }

  /**
   * Not a timed assertion: prints how long the ward of 50 patients, each with a full set of vitals,
   * takes to show — from the page's start to the tiles drawn, as the browser measures it — for
   * docs/BENCHMARKS.md. What it asserts is that all 50 tiles show their readings.
   */
  @Test
  void aWardOfFiftyPatientsShowsEveryTileWithItsReadings() {
    TestWard ward = new TestWard(patients, devices);
    String big = "Ward 5F";
    for (int i = 1; i <= 50; i++) {
      String id = "wb-5f-" + i;
      patient(id, "Patient" + i, "Test", big, "Bed " + i);
      String token = ward.device("wb-5f-monitor-" + i, "bedside-monitor", id);
      String body =
          "{\"time\":\""
              + Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS)
              + "\",\"measurements\":["
              + "{\"code\":\"8867-4\",\"value\":"
              + (60 + i)
              + ",\"unit\":\"/min\"},"
              + "{\"code\":\"59408-5\",\"value\":96,\"unit\":\"%\"},"
              + "{\"code\":\"9279-1\",\"value\":16,\"unit\":\"/min\"},"
              + "{\"code\":\"8480-6\",\"value\":128,\"unit\":\"mm[Hg]\"},"
              + "{\"code\":\"8462-4\",\"value\":82,\"unit\":\"mm[Hg]\"},"
              + "{\"code\":\"8310-5\",\"value\":36.9,\"unit\":\"Cel\"}]}";
      HttpResponse<String> posted =
          api().postJson("/api/v1/ingest/wb-5f-monitor-" + i, token, body);
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    }
    users.save(
        new UserAccount("wb-nurse-5f", Role.NURSE, "wb-nurse-5f", Optional.empty(), true),
        "pw-wb-nurse-5f");
    users.setWards("wb-nurse-5f", Set.of(big));

    Browser nurse = signedIn("nurse-5f", "wb-nurse-5f", "pw-wb-nurse-5f");
    for (int load = 1; load <= 3; load++) {
      nurse.driver().navigate().refresh();
      nurse.await(d -> nurse.all("li.tile").size() == 50 ? true : null);
      nurse.await(
          Duration.ofSeconds(10), d -> heartRateOf(nurse, "wb-5f-50").equals("110") ? true : null);
      Object rendered =
          nurse.script(
              "const m = performance.getEntriesByName('vigil-ward-rendered');"
                  + " return m.length ? m[0].startTime : -1;");
      System.out.printf(
          "ward of 50 patients, load %d: tiles drawn %.0f ms after the page started%n",
          load, ((Number) rendered).doubleValue());
    }
    nurse.await(d -> {
      List<WebElement> rates = nurse.all("li.tile .vital[data-code='8867-4'] .value");
      return rates.size() == 50 && rates.stream().allMatch(v -> v.getText().matches("\\d+"))
          ? true
          : null;
    });
  }

  /** Deque's axe-core, WCAG 2.1 level A and AA rules, over every kind of page the app has. */
  @Test
  void everyPageMeetsWcag21AaAsAxeChecksIt() {
    List<String> problems = new ArrayList<>();
    Browser nurse = signedIn("nurse", "wb-nurse", "pw-wb-nurse");
    nurse.visible(tile("wb-1"));
    problems.addAll(accessibilityProblems(nurse, "ward overview"));
    nurse.go("/#/patient/wb-1");
    nurse.await(d -> nurse.find("#patient-heading").getText().equals("Achterberg, Ilse"));
    nurse.visible("#messages-heading");
    problems.addAll(accessibilityProblems(nurse, "patient view"));

    Browser patient = signedIn("patient", "wb-patient", "pw-wb-patient");
    patient.await(d -> patient.find("#portal-heading").getText().equals("Hello, Ilse"));
    patient.visible("#messages-heading");
    problems.addAll(accessibilityProblems(patient, "patient portal"));

    Browser admin = signedIn("admin", "wb-admin", "pw-wb-admin");
    admin.visible("tr[data-device-id]");
    problems.addAll(accessibilityProblems(admin, "devices"));
    for (String tab : List.of("dead-letters", "templates", "audit")) {
      admin.click("nav.tabs a[href='#/admin/" + tab + "']");
      admin.await(d ->
          admin.find("nav.tabs a[aria-current=page]").getAttribute("href").endsWith(tab)
              ? true
              : null);
      problems.addAll(accessibilityProblems(admin, tab));
    }
    assertThat(problems).isEmpty();
  }

  private static List<String> accessibilityProblems(Browser browser, String page) {
    Results results =
        new AxeBuilder()
            .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
            .analyze(browser.driver());
    // it looked: rules that passed on this page, not an empty run
    assertThat(results.getPasses())
        .as(page + ": rules axe checked and passed")
        .hasSizeGreaterThan(5);
    System.out.printf(
        "axe on %s: %d rules passed, %d violated%n",
        page, results.getPasses().size(), results.getViolations().size());
    return results.getViolations().stream()
        .map(rule ->
            page
                + ": "
                + rule.getId()
                + " ("
                + rule.getHelp()
                + ") at "
                + rule.getNodes().stream()
                    .limit(3)
                    .map(n -> String.valueOf(n.getTarget()))
                    .toList())
        .toList();
  }
}
