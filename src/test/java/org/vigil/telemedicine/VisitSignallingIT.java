package org.vigil.telemedicine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * The visit signalling server over a real websocket: the patient waits and is admitted, offers,
 * answers and candidates go to the other participant only, chat reaches both, a malformed frame is
 * answered with an error and the call goes on, a reconnect with the rejoin link renegotiates, and
 * the end writes the Encounter with the note. Nobody else joins: not a third person with a
 * participant's link, not with a used link, not with an expired one, not without a token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VisitSignallingIT extends VigilServerTest {

  private static final String SCOPES =
      "openid user/*.rs user/Appointment.cu patient/*.rs patient/Appointment.cu";

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired JdbcTemplate jdbc;
  @Autowired TelemedicineProperties settings;

  private String patient;
  private String clinician;
  private String otherPatient;
  private String otherClinician;

  @BeforeAll
  void people() {
    TestWard ward = new TestWard(patients, devices);
    ward.patient("tele-sig-1");
    ward.patient("tele-sig-2");
    users.save(
        new UserAccount("tele-sig-pat", Role.PATIENT, "Pia", Optional.of("tele-sig-1"), true),
        "pw-tp1");
    users.save(
        new UserAccount("tele-sig-pat2", Role.PATIENT, "Per", Optional.of("tele-sig-2"), true),
        "pw-tp2");
    users.save(
        new UserAccount("tele-sig-doc", Role.CLINICIAN, "Dr Dana", Optional.empty(), true),
        "pw-td1");
    users.setWards("tele-sig-doc", Set.of("Ward 7B"));
    users.save(
        new UserAccount("tele-sig-doc2", Role.CLINICIAN, "Dr Dag", Optional.empty(), true),
        "pw-td2");
    users.setWards("tele-sig-doc2", Set.of("Ward 7B"));
    patient = new WebSignIn(api().base()).accessToken("tele-sig-pat", "pw-tp1", SCOPES);
    otherPatient = new WebSignIn(api().base()).accessToken("tele-sig-pat2", "pw-tp2", SCOPES);
    clinician = new WebSignIn(api().base()).accessToken("tele-sig-doc", "pw-td1", SCOPES);
    otherClinician = new WebSignIn(api().base()).accessToken("tele-sig-doc2", "pw-td2", SCOPES);
  }

  private String invite() {
    Appointment visit = new Appointment();
    visit.setStatus(Appointment.AppointmentStatus.BOOKED);
    visit.setStart(Date.from(Instant.now()));
    visit.setEnd(Date.from(Instant.now().plus(Duration.ofMinutes(30))));
    visit.addParticipant().setActor(new Reference("Patient/tele-sig-1"));
    visit.addParticipant().setActor(new Reference("Practitioner/tele-sig-doc"));
    return api().fhir(clinician).create().resource(visit).execute().getId().getIdPart();
  }

  private String link(String appointment, String token) {
    HttpResponse<String> issued =
        api()
            .post(
                "/api/v1/appointments/" + appointment + "/join-link",
                token,
                "application/json",
                "{}");
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    return VigilApi.json(issued.body()).path("link").asString();
  }

  @Test
  void aPatientIsAdmittedTheCallIsRelayedAndTheEncounterKeepsTheNote() throws Exception {
    String visit = invite();
    try (SignalSocket doc = SignalSocket.open(port);
        SignalSocket pat = SignalSocket.open(port)) {
      doc.join(clinician, link(visit, clinician));
      assertThat(doc.next("joined").path("side").asString()).isEqualTo("clinician");
      pat.join(patient, link(visit, patient));
      JsonNode joined = pat.next("joined");
      assertThat(joined.path("admitted").asBoolean()).isFalse();
      assertThat(joined.path("iceServers").isArray()).isTrue();
      pat.next("waiting");
      doc.next("patient-waiting");

      // before admission nothing is relayed
      pat.send(
          "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\"}}");
      assertThat(pat.next("error").path("code").asString()).isEqualTo("not-admitted");
      // only the clinician admits
      pat.send("{\"type\":\"admit\"}");
      assertThat(pat.next("error").path("code").asString()).isEqualTo("wrong-side");

      doc.send("{\"type\":\"admit\"}");
      String encounter = doc.next("admitted").path("encounter").asString();
      assertThat(pat.next("admitted").path("encounter").asString()).isEqualTo(encounter);

      doc.send("{\"type\":\"offer\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0 offer\"}}");
      assertThat(pat.next("offer").path("sdp").path("sdp").asString()).isEqualTo("v=0 offer");
      pat.send("{\"type\":\"answer\",\"sdp\":{\"type\":\"answer\",\"sdp\":\"v=0 answer\"}}");
      assertThat(doc.next("answer").path("sdp").path("sdp").asString()).isEqualTo("v=0 answer");
      pat.send(
          "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":\"0\"}}");
      assertThat(doc.next("candidate").path("candidate").path("sdpMid").asString()).isEqualTo("0");

      // malformed frames are answered, and the call goes on
      pat.send("{not json");
      assertThat(pat.next("error").path("code").asString()).isEqualTo("malformed");
      pat.send("{\"type\":\"bogus\"}");
      assertThat(pat.next("error").path("code").asString()).isEqualTo("unknown-type");
      pat.send("{\"type\":\"offer\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
      assertThat(pat.next("error").path("code").asString()).isEqualTo("wrong-side");
      doc.send("{\"type\":\"offer\",\"sdp\":\"not an object\"}");
      assertThat(doc.next("error").path("code").asString()).isEqualTo("invalid-offer");
      pat.send("{\"type\":\"chat\",\"text\":\"" + "x".repeat(VisitRooms.MAX_CHAT + 1) + "\"}");
      assertThat(pat.next("error").path("code").asString()).isEqualTo("invalid-chat");
      pat.send("{\"type\":\"chat\",\"text\":\"" + "y".repeat(VisitRooms.MAX_FRAME + 10) + "\"}");
      assertThat(pat.next("error").path("code").asString()).isEqualTo("too-large");
      assertThat(pat.isOpen()).isTrue();
      pat.send("{\"type\":\"chat\",\"text\":\"Can you hear me?\"}");
      assertThat(doc.next("chat").path("text").asString()).isEqualTo("Can you hear me?");
      assertThat(pat.next("chat").path("from").asString()).isEqualTo("patient");

      // a blip: the patient comes back on a fresh connection with the rejoin link
      String rejoin = joined.path("rejoin").asString();
      try (SignalSocket again = SignalSocket.open(port)) {
        again.join(patient, rejoin);
        assertThat(again.next("joined").path("admitted").asBoolean()).isTrue();
        doc.next("peer-rejoined");
        assertThat(pat.closedWith()).contains("another connection");
        doc.send("{\"type\":\"offer\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0 again\"}}");
        assertThat(again.next("offer").path("sdp").path("sdp").asString()).isEqualTo("v=0 again");

        // a rejoin link is good once too
        try (SignalSocket thief = SignalSocket.open(port)) {
          thief.join(patient, rejoin);
          assertThat(thief.next("error").path("code").asString()).isEqualTo("link-used");
        }

        doc.send(
            "{\"type\":\"end\",\"note\":\"Breathless on exertion; SpO2 94 % on air at rest. Review in 1 week.\"}");
        doc.next("ended");
        again.next("ended");
      }
    }
    Encounter read =
        api().fhir(clinician).read().resource(Encounter.class).withId(encounter(visit)).execute();
    assertThat(read.getClass_().getCode()).isEqualTo("VR");
    assertThat(read.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
    assertThat(read.getAppointmentFirstRep().getReference()).isEqualTo("Appointment/" + visit);
    assertThat(read.getPeriod().getEnd()).isAfterOrEqualTo(read.getPeriod().getStart());
    Annotation note =
        (Annotation)
            read.getExtensionByUrl("https://vigil.health/fhir/StructureDefinition/visit-note")
                .getValue();
    assertThat(note.getText()).startsWith("Breathless on exertion");
    Appointment done =
        api().fhir(patient).read().resource(Appointment.class).withId(visit).execute();
    assertThat(done.getStatus()).isEqualTo(Appointment.AppointmentStatus.FULFILLED);
    // the note is stored sealed
    String stored =
        jdbc.queryForObject(
            "select note_sealed from visit_encounter where appointment_id = ?",
            String.class,
            visit);
    assertThat(stored).doesNotContain("Breathless");
  }

  private String encounter(String appointment) {
    Bundle found =
        api()
            .fhir(patient)
            .search()
            .forResource(Encounter.class)
            .where(Encounter.PATIENT.hasId("Patient/tele-sig-1"))
            .and(Encounter.APPOINTMENT.hasId("Appointment/" + appointment))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(found.getEntry()).hasSize(1);
    return found.getEntryFirstRep().getResource().getIdElement().getIdPart();
  }

  @Test
  void aThirdPersonCannotJoinNotEvenWithAParticipantsLink() throws Exception {
    String visit = invite();
    // neither another patient nor another clinician of the ward is given a link
    assertThat(
            api()
                .post(
                    "/api/v1/appointments/" + visit + "/join-link",
                    otherPatient,
                    "application/json",
                    "{}")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            api()
                .post(
                    "/api/v1/appointments/" + visit + "/join-link",
                    otherClinician,
                    "application/json",
                    "{}")
                .statusCode())
        .isEqualTo(403);
    String patientsLink = link(visit, patient);
    try (SignalSocket third = SignalSocket.open(port)) {
      third.join(otherPatient, patientsLink);
      JsonNode refused = third.next("error");
      assertThat(refused.path("code").asString()).isEqualTo("link-not-yours");
      assertThat(refused.path("reason").asString()).contains("someone else");
      assertThat(third.closedWith()).startsWith("1008");
    }
    // and the link, once shown, is spent
    try (SignalSocket owner = SignalSocket.open(port)) {
      owner.join(patient, patientsLink);
      assertThat(owner.next("error").path("code").asString()).isEqualTo("link-used");
    }
  }

  @Test
  void aReusedLinkIsRefused() throws Exception {
    String visit = invite();
    String link = link(visit, patient);
    try (SignalSocket first = SignalSocket.open(port);
        SignalSocket second = SignalSocket.open(port)) {
      first.join(patient, link);
      first.next("joined");
      second.join(patient, link);
      JsonNode refused = second.next("error");
      assertThat(refused.path("code").asString()).isEqualTo("link-used");
      assertThat(second.closedWith()).startsWith("1008");
      assertThat(first.isOpen()).isTrue();
    }
  }

  @Test
  void anExpiredLinkIsRefused() throws Exception {
    String visit = invite();
    // issued an hour ago, by the node's own links with a clock set back
    JoinLinks past =
        new JoinLinks(jdbc, settings, Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
    String link = past.issue(visit, "tele-sig-pat").link();
    try (SignalSocket late = SignalSocket.open(port)) {
      late.join(patient, link);
      assertThat(late.next("error").path("code").asString()).isEqualTo("link-expired");
      assertThat(late.closedWith()).startsWith("1008");
    }
  }

  @Test
  void withoutATokenOrBeforeJoiningNothingHappens() throws Exception {
    String visit = invite();
    try (SignalSocket anonymous = SignalSocket.open(port)) {
      anonymous.join("not-a-token", link(visit, patient));
      assertThat(anonymous.next("error").path("code").asString()).isEqualTo("unauthenticated");
    }
    try (SignalSocket early = SignalSocket.open(port)) {
      early.send("{\"type\":\"offer\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
      assertThat(early.next("error").path("code").asString()).isEqualTo("not-joined");
      assertThat(early.closedWith()).startsWith("1008");
    }
  }

  @Test
  void joiningAndRefusalsAreAudited(@Autowired AuditTrail audit) throws Exception {
    String visit = invite();
    try (SignalSocket third = SignalSocket.open(port)) {
      third.join(otherPatient, link(visit, patient));
      third.next("error");
      third.closedWith();
    }
    assertThat(
            audit.search(
                AuditQuery.all()
                    .byAgent("tele-sig-pat2")
                    .between(Optional.empty(), Optional.empty())))
        .anySatisfy(e -> {
          assertThat(e.entry().what()).isEqualTo("join visit");
          assertThat(e.entry().outcome()).isEqualTo(4);
          assertThat(e.entry().detail()).contains("the link was issued to someone else");
        });
    assertThat(audit.search(AuditQuery.all().forPatient("tele-sig-1")))
        .anySatisfy(
            e -> assertThat(e.entry().what()).isEqualTo("issue join link for visit " + visit));
  }

  @Test
  void aDeviceOnMqttIsAskedForAReadingAndBothSidesSeeItArrive(
      @Autowired org.vigil.device.DeviceHealth health) throws Exception {
    String token = new TestWard(patients, devices).device("tele-sig-cuff", "bp-cuff", "tele-sig-1");
    var cuff =
        com.hivemq.client.mqtt.MqttClient.builder()
            .useMqttVersion5()
            .identifier("tele-sig-cuff")
            .serverHost("127.0.0.1")
            .serverPort(MQTT_PORT)
            .simpleAuth()
            .username("tele-sig-cuff")
            .password(token.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildBlocking();
    cuff.connect();
    try (var commands = cuff.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      cuff.subscribeWith()
          .topicFilter("devices/tele-sig-cuff/commands/#")
          .qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE)
          .send();
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!health.status("tele-sig-cuff").connected().orElse(false)
          && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      String visit = invite();
      try (SignalSocket doc = SignalSocket.open(port);
          SignalSocket pat = SignalSocket.open(port)) {
        doc.join(clinician, link(visit, clinician));
        doc.next("joined");
        pat.join(patient, link(visit, patient));
        pat.next("waiting");
        doc.send("{\"type\":\"admit\"}");
        pat.next("admitted");

        // only the clinician asks; then the cuff is asked over MQTT, and both are told
        pat.send("{\"type\":\"take-reading\"}");
        assertThat(pat.next("error").path("code").asString()).isEqualTo("wrong-side");
        doc.send("{\"type\":\"take-reading\"}");
        JsonNode requested = doc.next("reading-requested");
        assertThat(requested.path("via").asString()).isEqualTo("device");
        assertThat(requested.path("devices").asInt()).isEqualTo(1);
        assertThat(pat.next("reading-requested").path("via").asString()).isEqualTo("device");
        var command = commands.receive(10, java.util.concurrent.TimeUnit.SECONDS).orElseThrow();
        assertThat(command.getTopic().toString())
            .isEqualTo("devices/tele-sig-cuff/commands/measure-now");
        assertThat(new String(command.getPayloadAsBytes(), java.nio.charset.StandardCharsets.UTF_8))
            .contains(visit);

        // the cuff measures and publishes, as the simulator's devices do
        cuff.publishWith()
            .topic("devices/tele-sig-cuff/messages")
            .qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE)
            .payload(
                ("{\"time\":\""
                        + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        + "\",\"measurements\":[{\"code\":\"8480-6\",\"value\":142,"
                        + "\"unit\":\"mm[Hg]\"}]}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .send();
        JsonNode seen = doc.next("reading");
        assertThat(seen.path("code").asString()).isEqualTo("8480-6");
        assertThat(seen.path("value").asDouble()).isEqualTo(142.0);
        assertThat(pat.next("reading").path("device").asString()).isEqualTo("tele-sig-cuff");
        doc.send("{\"type\":\"end\"}");
        doc.next("ended");
      }
    } finally {
      cuff.disconnect();
    }
  }
}
