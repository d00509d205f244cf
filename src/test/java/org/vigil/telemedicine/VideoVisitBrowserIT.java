package org.vigil.telemedicine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;
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
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * A whole video visit in two real browsers (Debian's Chromium, headless, with its fake camera and
 * microphone) against a whole node: the clinician offers a slot and invites the patient into it
 * over FHIR, both open the visit page, the patient waits until the clinician admits them, the two
 * browsers connect peer to peer on loopback and decode each other's video, a heart rate sent over
 * HTTP ingest during the call shows on both screens, the clinician asks for a reading now (the
 * monitor takes no commands, so the patient's portal asks), ends the visit with a note, and the
 * Encounter with that note is in the FHIR API. And from an alarm: the clinician calls the patient
 * now, the patient answers from the invitation in their portal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoVisitBrowserIT extends VigilServerTest {

  private static final String WARD = "Ward TV";
  private static final String PATIENT = "tele-web-1";
  private static final String SCOPES =
      "openid user/*.rs user/Appointment.cu user/Schedule.c user/Slot.c patient/*.rs";

  @RegisterExtension final BrowserScreenshots browsers = new BrowserScreenshots();

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;

  private String monitor;
  private String clinician;

  @BeforeAll
  void visit() {
    patients.save(
        new Patient(
            PATIENT,
            "MRN-" + PATIENT,
            "Okafor",
            "Chidi",
            Optional.of(LocalDate.of(1962, 11, 5)),
            "male",
            Optional.of(WARD),
            Optional.of("Home"),
            Instant.now()));
    monitor =
        new TestWard(patients, devices).device("tele-web-monitor", "bedside-monitor", PATIENT);
    users.save(
        new UserAccount("tele-web-doc", Role.CLINICIAN, "Dr Ines", Optional.empty(), true),
        "pw-tw-doc");
    users.setWards("tele-web-doc", Set.of(WARD));
    users.save(
        new UserAccount("tele-web-pat", Role.PATIENT, "Chidi", Optional.of(PATIENT), true),
        "pw-tw-pat");
    clinician = new WebSignIn(api().base()).accessToken("tele-web-doc", "pw-tw-doc", SCOPES);
  }

  /** The clinician's schedule, a slot from now, and the patient invited into it, over FHIR. */
  private String schedule() {
    var fhir = api().fhir(clinician);
    Schedule schedule = new Schedule();
    schedule.addActor(new Reference("Practitioner/tele-web-doc"));
    schedule.setComment("Heart failure follow-up");
    String scheduleId = fhir.create().resource(schedule).execute().getId().getIdPart();
    Slot slot = new Slot();
    slot.setSchedule(new Reference("Schedule/" + scheduleId));
    slot.setStatus(Slot.SlotStatus.FREE);
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    slot.setStart(Date.from(start));
    slot.setEnd(Date.from(start.plus(Duration.ofMinutes(20))));
    String slotId = fhir.create().resource(slot).execute().getId().getIdPart();
    Appointment invitation = new Appointment();
    invitation.addSlot(new Reference("Slot/" + slotId));
    invitation.addParticipant().setActor(new Reference("Patient/" + PATIENT));
    invitation.addParticipant().setActor(new Reference("Practitioner/tele-web-doc"));
    return fhir.create().resource(invitation).execute().getId().getIdPart();
  }

  private static Object connectionState(Browser browser) {
    return browser.script(
        "return window.vigilVisit && window.vigilVisit.pc ? window.vigilVisit.pc.connectionState : null");
  }

  /** Frames of the other side's video this browser has decoded (getStats, inbound-rtp). */
  private static long framesDecoded(Browser browser) {
    Object frames =
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "window.vigilVisit.pc.getStats().then(stats => { let f = 0;"
                + " stats.forEach(r => { if (r.type === 'inbound-rtp' && r.kind === 'video') f += r.framesDecoded || 0; });"
                + " done(f); });");
    return ((Number) frames).longValue();
  }

  /** Deque's axe-core, WCAG 2.1 A and AA, as WebAppBrowserIT checks every other page. */
  private static java.util.List<String> accessibilityProblems(Browser browser, String page) {
    com.deque.html.axecore.results.Results results =
        new com.deque.html.axecore.selenium.AxeBuilder()
            .withTags(java.util.List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
            .analyze(browser.driver());
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
                + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList())
        .toList();
  }

  private static String state(Browser browser) {
    return browser.find("#visit-status").getAttribute("data-state");
  }

  @Test
  void aScheduledVideoVisitFromWaitingRoomToEncounter() {
    String visit = schedule();
    Browser doc = browsers.watch(Browser.withCameraAndMicrophone("visit-clinician", api().base()));
    Browser pat = browsers.watch(Browser.withCameraAndMicrophone("visit-patient", api().base()));
    doc.signIn("tele-web-doc", "pw-tw-doc");
    pat.signIn("tele-web-pat", "pw-tw-pat");
    doc.go("/#/visit/" + visit);
    doc.await(d -> state(doc).equals("waiting-for-patient"));

    // the patient finds the visit in their portal and joins from there
    pat.click(".visit-list li[data-appointment-id='" + visit + "'] a.join");
    pat.await(d -> state(pat).equals("waiting"));
    assertThat(pat.textOf("#visit-status")).contains("waiting room");
    doc.visible("#visit-admit");
    doc.click("#visit-admit");

    // both peers connect on loopback (host candidates only: no STUN or TURN is configured)
    doc.await(Duration.ofSeconds(30), d -> "connected".equals(connectionState(doc)));
    pat.await(Duration.ofSeconds(30), d -> "connected".equals(connectionState(pat)));
    doc.await(Duration.ofSeconds(20), d -> framesDecoded(doc) > 0);
    pat.await(Duration.ofSeconds(20), d -> framesDecoded(pat) > 0);
    assertThat(state(doc)).isEqualTo("connected");
    doc.await(d -> !doc.find("#visit-quality").getAttribute("data-level").equals("unknown"));
    System.out.printf(
        "video visit on loopback: clinician decoded %d frames, patient %d; %s%n",
        framesDecoded(doc), framesDecoded(pat), doc.find("#visit-quality").getText());
    assertThat(accessibilityProblems(doc, "visit, clinician")).isEmpty();
    assertThat(accessibilityProblems(pat, "visit, patient")).isEmpty();

    // a network blip on the patient's side: back in with the rejoin link, the call negotiated anew
    long before = ((Number) pat.script("return window.vigilVisit.connections")).longValue();
    pat.script("window.vigilVisit.socket.close()");
    pat.await(
        Duration.ofSeconds(30),
        d ->
            ((Number) pat.script("return window.vigilVisit.connections")).longValue() > before
                && "connected".equals(connectionState(pat)));
    doc.await(Duration.ofSeconds(30), d -> "connected".equals(connectionState(doc)));
    pat.await(Duration.ofSeconds(20), d -> framesDecoded(pat) > 0);

    // a heart rate from the patient's monitor, over the real HTTP ingest, shows on both screens
    String body =
        "{\"time\":\""
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + "\",\"measurements\":[{\"code\":\"8867-4\",\"value\":117,\"unit\":\"/min\"}]}";
    HttpResponse<String> posted = api().postJson("/api/v1/ingest/tele-web-monitor", monitor, body);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    String reading = "#visit-readings li[data-code='8867-4'][data-value='117']";
    assertThat(doc.textOf(reading)).contains("Heart rate: 117");
    assertThat(pat.textOf(reading)).contains("117");

    // the patient mutes: their microphone track is off and the button says so; camera likewise
    pat.click("#visit-mute");
    assertThat(
            pat.script(
                "return window.vigilVisit.pc.getSenders().find(s => s.track && s.track.kind === 'audio').track.enabled"))
        .isEqualTo(false);
    assertThat(pat.find("#visit-mute").getAttribute("aria-pressed")).isEqualTo("true");
    pat.click("#visit-camera");
    assertThat(
            pat.script(
                "return window.vigilVisit.pc.getSenders().find(s => s.track && s.track.kind === 'video').track.enabled"))
        .isEqualTo(false);
    pat.click("#visit-camera");

    // chat both ways
    pat.find("#visit-chat-text").sendKeys("I feel more breathless at night");
    pat.click(".visit-chat button[type=submit]");
    assertThat(doc.textOf("#visit-chat-log")).contains("I feel more breathless at night");

    // "take a reading now": the monitor is not on MQTT, so the patient's portal asks
    doc.click("#visit-take-reading");
    doc.await(d -> {
      HttpResponse<String> notices =
          api().get("/api/v1/patients/" + PATIENT + "/visit-notices", clinician);
      return VigilApi.json(notices.body())
          .path("notices")
          .valueStream()
          .anyMatch(n ->
              n.path("kind").asString().equals("take-reading")
                  && n.path("appointmentId").asString().equals(visit));
    });

    doc.find("#visit-note")
        .sendKeys("Orthopnoea new since last week; HR 117 during the call. Furosemide review.");
    doc.click("#visit-end");
    doc.await(d -> state(doc).equals("ended"));
    pat.await(d -> state(pat).equals("ended"));

    Bundle found =
        api()
            .fhir(clinician)
            .search()
            .forResource(Encounter.class)
            .where(Encounter.PATIENT.hasId("Patient/" + PATIENT))
            .and(Encounter.APPOINTMENT.hasId("Appointment/" + visit))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(found.getEntry()).hasSize(1);
    Encounter encounter = (Encounter) found.getEntryFirstRep().getResource();
    assertThat(encounter.getClass_().getCode()).isEqualTo("VR");
    assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
    assertThat(encounter.getPeriod().hasEnd()).isTrue();
    assertThat(encounter.getParticipantFirstRep().getIndividual().getReference())
        .isEqualTo("Practitioner/tele-web-doc");
    Annotation note =
        (Annotation)
            encounter
                .getExtensionByUrl("https://vigil.health/fhir/StructureDefinition/visit-note")
                .getValue();
    assertThat(note.getText()).startsWith("Orthopnoea new since last week");

    // and in the clinician's own list of the visits they held, without naming the patient
    Bundle held =
        api()
            .fhir(clinician)
            .search()
            .forResource(Encounter.class)
            .where(Encounter.PRACTITIONER.hasId("Practitioner/tele-web-doc"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(held.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .contains(encounter.getIdElement().getIdPart());
  }

  @Test
  void callingThePatientFromAnAlarmOpensAVisitTheyJoinFromTheirInvitation(
      @Autowired org.vigil.alarm.Alarms alarms) {
    long alarm =
        alarms
            .raise(PATIENT, "tele-web-call", org.vigil.alarm.AlarmPriority.HIGH, "SpO2 86 %")
            .id();
    Browser doc = browsers.watch(Browser.withCameraAndMicrophone("call-clinician", api().base()));
    doc.signIn("tele-web-doc", "pw-tw-doc");
    doc.click("li.alarm[data-alarm-id='" + alarm + "'] button.call-patient");
    String url = doc.await(d -> d.getCurrentUrl().contains("#/visit/") ? d.getCurrentUrl() : null);
    String visit = url.substring(url.indexOf("#/visit/") + "#/visit/".length());
    doc.await(d -> state(doc).equals("waiting-for-patient"));

    Browser pat = browsers.watch(Browser.withCameraAndMicrophone("call-patient", api().base()));
    pat.signIn("tele-web-pat", "pw-tw-pat");
    pat.click(".visit-notices li.notice-invitation a[href='#/visit/" + visit + "']");
    pat.await(d -> state(pat).equals("waiting"));
    doc.click("#visit-admit");
    doc.await(Duration.ofSeconds(30), d -> "connected".equals(connectionState(doc)));
    pat.await(Duration.ofSeconds(30), d -> "connected".equals(connectionState(pat)));
    doc.click("#visit-end");
    pat.await(d -> state(pat).equals("ended"));

    Appointment called =
        api().fhir(clinician).read().resource(Appointment.class).withId(visit).execute();
    assertThat(called.getAppointmentType().getCodingFirstRep().getCode()).isEqualTo("WALKIN");
    assertThat(called.getSupportingInformationFirstRep().getReference()).isEqualTo("Flag/" + alarm);
    assertThat(called.getStatus()).isEqualTo(Appointment.AppointmentStatus.FULFILLED);
  }
}
