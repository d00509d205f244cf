package org.vigil.medication;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.alarm.Alarms;
import org.vigil.device.DeviceRegistry;
import org.vigil.outbound.WebhookSigner;
import org.vigil.patient.PatientRepository;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import org.vigil.testsupport.WebhookReceiver;
import tools.jackson.databind.JsonNode;

/**
 * Medication adherence over the real transports: a nurse prescribes with HAPI's generic FHIR
 * client, a dispenser publishes over MQTT (native and PillPal template events) and HTTP, the
 * evidence is searchable as MedicationAdministration, adherence comes from the REST API, a reminder
 * reaches the webhook receiver and the portal, the patient reports through the portal, and the care
 * team is alarmed after two missed doses in a row. Bad events are refused with the reason and kept
 * as dead letters, with nothing half-stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MedicationAdherenceIT extends VigilServerTest {

  private static final String PRESCRIBE = "openid user/*.rs patient/*.rs user/MedicationRequest.cu";

  /** Patients: events and adherence; reminders and self-report; missed doses; a stranger. */
  private static final String DISPENSED = "meds-patient-disp";

  private static final String REMINDED = "meds-patient-rem";
  private static final String MISSING = "meds-patient-miss";
  private static final String LOW = "meds-patient-low";

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired Alarms alarms;
  @Autowired JdbcTemplate jdbc;
  @Autowired org.vigil.audit.AuditTrail audit;

  private VigilApi api;
  private String nurse;
  private String otherNurse;
  private String patientToken;
  private String otherPatientToken;
  private String nativeDispenser;
  private String pillpal;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);

  @BeforeAll
  void people() {
    api = api();
    TestWard ward = new TestWard(patients, devices);
    nativeDispenser = ward.device("meds-disp-native", "pill-dispenser", DISPENSED);
    pillpal = ward.device("meds-disp-pillpal", "pillpal-dispenser", DISPENSED);
    ward.patient(REMINDED);
    ward.patient(MISSING);
    ward.patient(LOW);
    users.save(
        new UserAccount("meds-nurse", Role.NURSE, "Nurse Noor", Optional.empty(), true), "pw-n");
    users.setWards("meds-nurse", Set.of("Ward 7B"));
    users.save(
        new UserAccount("meds-nurse2", Role.NURSE, "Nurse Elsewhere", Optional.empty(), true),
        "pw-n2");
    users.setWards("meds-nurse2", Set.of("Ward meds-9Z"));
    users.save(
        new UserAccount("meds-patient", Role.PATIENT, "Rita", Optional.of(REMINDED), true), "pw-p");
    users.save(
        new UserAccount("meds-patient2", Role.PATIENT, "Dan", Optional.of(DISPENSED), true),
        "pw-p2");
    nurse = new WebSignIn(api.base()).accessToken("meds-nurse", "pw-n", PRESCRIBE);
    otherNurse = new WebSignIn(api.base()).accessToken("meds-nurse2", "pw-n2", PRESCRIBE);
    patientToken = new WebSignIn(api.base()).accessToken("meds-patient", "pw-p", PRESCRIBE);
    otherPatientToken = new WebSignIn(api.base()).accessToken("meds-patient2", "pw-p2", PRESCRIBE);
  }

  private static MedicationRequest prescription(
      String patient, String medicine, Instant start, Integer compartment, Instant... times) {
    MedicationRequest request = new MedicationRequest();
    request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    request.setSubject(new Reference("Patient/" + patient));
    request.setMedication(
        new CodeableConcept(
                new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "314076", null))
            .setText(medicine));
    var dosage = request.addDosageInstruction().setText("1 tablet");
    for (Instant time : times) {
      dosage
          .getTiming()
          .getRepeat()
          .addTimeOfDay(LocalTime.ofInstant(time, ZoneOffset.UTC).withSecond(0).toString() + ":00");
    }
    dosage.getTiming().getRepeat().setBounds(new Period().setStart(Date.from(start)));
    if (compartment != null) {
      request.addExtension(
          "https://vigil.health/fhir/StructureDefinition/dispenser-compartment",
          new IntegerType(compartment));
    }
    return request;
  }

  private String prescribe(MedicationRequest request) {
    IGenericClient fhir = api.fhir(nurse);
    MethodOutcome created = fhir.create().resource(request).execute();
    assertThat(created.getCreated()).isTrue();
    return created.getId().getIdPart();
  }

  private Mqtt5BlockingClient dispenser(String deviceId, String token) {
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(deviceId + "-" + System.nanoTime())
            .serverHost("127.0.0.1")
            .serverPort(MQTT_PORT)
            .simpleAuth()
            .username(deviceId)
            .password(token.getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildBlocking();
    client.connect();
    return client;
  }

  private static Mqtt5PubAck publish(Mqtt5BlockingClient client, String deviceId, String payload)
      throws Exception {
    CompletableFuture<Mqtt5PublishResult> sent =
        client
            .toAsync()
            .publishWith()
            .topic("devices/" + deviceId + "/events")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(payload.getBytes(StandardCharsets.UTF_8))
            .send();
    try {
      return ((Mqtt5PublishResult.Mqtt5Qos1Result) sent.get(30, TimeUnit.SECONDS)).getPubAck();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Mqtt5PubAckException refused) {
        return refused.getMqttMessage();
      }
      throw e;
    }
  }

  private int deadLetters(String deviceId) {
    return jdbc.queryForObject(
        "select count(*) from dead_letter where device_id = ?", Integer.class, deviceId);
  }

  private int storedEvents(String deviceId) {
    return jdbc.queryForObject(
        "select count(*) from device_event where device_id = ?", Integer.class, deviceId);
  }

  @Test
  void dispenserEventsBecomeAdministrationsAndAdherence() throws Exception {
    // two doses, 3 h apart: 5 h ago and 2 h ago (tolerance ±1 h, late limit 4 h)
    Instant first = now.minus(Duration.ofHours(5));
    Instant second = now.minus(Duration.ofHours(2));
    String lisinopril =
        prescribe(
            prescription(
                DISPENSED,
                "Lisinopril 10 mg tablet",
                now.minus(Duration.ofHours(10)),
                2,
                first,
                second));

    Mqtt5BlockingClient client = dispenser("meds-disp-native", nativeDispenser);
    Mqtt5BlockingClient vendor = dispenser("meds-disp-pillpal", pillpal);
    try {
      // native: the compartment opened and the dose dispensed, both within the first dose's window
      assertThat(
              publish(
                      client,
                      "meds-disp-native",
                      "{\"type\":\"compartment-opened\",\"time\":\""
                          + first.plus(Duration.ofMinutes(10))
                          + "\",\"compartment\":2}")
                  .getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
      assertThat(
              publish(
                      client,
                      "meds-disp-native",
                      "{\"type\":\"dose-dispensed\",\"time\":\""
                          + first.plus(Duration.ofMinutes(12))
                          + "\",\"medicationRequest\":\"MedicationRequest/"
                          + lisinopril
                          + "\"}")
                  .getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
      // PillPal's own format: the second dose 90 minutes after its time, late
      assertThat(
              publish(
                      vendor,
                      "meds-disp-pillpal",
                      "{\"evt\":\"DISP\",\"slot\":2,\"ts\":"
                          + second.plus(Duration.ofMinutes(90)).getEpochSecond()
                          + ",\"left\":11}")
                  .getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

      // bad events: refused with the reason, kept as dead letters, nothing half-stored
      int lettersBefore = deadLetters("meds-disp-native");
      int eventsBefore = storedEvents("meds-disp-native");
      Mqtt5PubAck noCompartment =
          publish(
              client,
              "meds-disp-native",
              "{\"type\":\"dose-dispensed\",\"time\":\"" + now + "\",\"compartment\":9}");
      assertThat(noCompartment.getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
      assertThat(noCompartment.getReasonString().map(Object::toString).orElse(""))
          .contains("compartment 9 holds none of the patient's active medicines");
      Mqtt5PubAck noMedicine =
          publish(
              client, "meds-disp-native", "{\"type\":\"dose-missed\",\"time\":\"" + now + "\"}");
      assertThat(noMedicine.getReasonString().map(Object::toString).orElse(""))
          .contains("names its medicine");
      Mqtt5PubAck unknownCode =
          publish(vendor, "meds-disp-pillpal", "{\"evt\":\"BEEP\",\"slot\":2}");
      assertThat(unknownCode.getReasonCode())
          .isEqualTo(Mqtt5PubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
      assertThat(unknownCode.getReasonString().map(Object::toString).orElse(""))
          .contains("'BEEP' is not an event code of template pillpal-dispenser")
          .contains("DISP");
      assertThat(deadLetters("meds-disp-native")).isEqualTo(lettersBefore + 2);
      assertThat(storedEvents("meds-disp-native")).isEqualTo(eventsBefore);
      assertThat(deadLetters("meds-disp-pillpal")).isEqualTo(1);
    } finally {
      client.disconnect();
      vendor.disconnect();
    }

    // over HTTP too: a refill notice (names no dose) is stored; a malformed one is 400
    HttpResponse<String> refill =
        api.postJson(
            "/api/v1/ingest/meds-disp-native/events",
            nativeDispenser,
            "{\"type\":\"refill-needed\",\"time\":\"" + now + "\",\"compartment\":2}");
    assertThat(refill.statusCode()).as(refill.body()).isEqualTo(201);
    HttpResponse<String> malformed =
        api.postJson("/api/v1/ingest/meds-disp-native/events", nativeDispenser, "{\"time\":1}");
    assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
    assertThat(malformed.body()).contains("type");

    // the evidence in FHIR: three administrations (the refill notice is none), by device
    Bundle found =
        api.fhir(nurse)
            .search()
            .forResource(MedicationAdministration.class)
            .where(MedicationAdministration.PATIENT.hasId("Patient/" + DISPENSED))
            .returnBundle(Bundle.class)
            .execute();
    List<MedicationAdministration> given =
        found.getEntry().stream().map(e -> (MedicationAdministration) e.getResource()).toList();
    assertThat(given).hasSize(3);
    assertThat(given)
        .allSatisfy(a -> {
          assertThat(a.getRequest().getReference()).isEqualTo("MedicationRequest/" + lisinopril);
          assertThat(a.getMedicationCodeableConcept().getText())
              .isEqualTo("Lisinopril 10 mg tablet");
          assertThat(a.getStatus())
              .isEqualTo(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        });
    assertThat(given)
        .extracting(a -> a.getPerformerFirstRep().getActor().getReference())
        .containsExactlyInAnyOrder(
            "Device/meds-disp-native", "Device/meds-disp-native", "Device/meds-disp-pillpal");

    // adherence: the first on time (two events, one dose), the second late
    HttpResponse<String> response =
        api.get(
            "/api/v1/patients/"
                + DISPENSED
                + "/adherence?from="
                + now.minus(Duration.ofHours(12))
                + "&to="
                + now,
            nurse);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode medicine = VigilApi.json(response.body()).path("medications").path(0);
    assertThat(medicine.path("medicationRequest").asString())
        .isEqualTo("MedicationRequest/" + lisinopril);
    assertThat(medicine.path("doses").path(0).path("outcome").asString()).isEqualTo("on-time");
    assertThat(medicine.path("doses").path(1).path("outcome").asString()).isEqualTo("late");
    assertThat(medicine.path("duplicates").size()).isEqualTo(1);
    JsonNode rates = medicine.path("rates");
    assertThat(rates.path("onTimePercent").asDouble()).isEqualTo(50.0);
    assertThat(rates.path("takenPercent").asDouble()).isEqualTo(100.0);
    assertThat(rates.path("pdcPercent").asDouble()).isEqualTo(100.0);

    // the same figures in the patient's remote-monitoring program report, once they have a plan
    users.save(
        new UserAccount("meds-doctor", Role.CLINICIAN, "Dr Ek", Optional.empty(), true), "pw-d");
    users.setWards("meds-doctor", Set.of("Ward 7B"));
    String doctor =
        new WebSignIn(api.base()).accessToken("meds-doctor", "pw-d", "openid user/*.rs");
    HttpResponse<String> plan =
        api.put(
            "/api/v1/patients/" + DISPENSED + "/care-plan",
            doctor,
            "application/json",
            "{\"programs\":[\"hypertension\"],\"timeZone\":\"UTC\"}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
    HttpResponse<String> report =
        api.get(
            "/api/v1/patients/"
                + DISPENSED
                + "/program-report?from="
                + now.minus(Duration.ofHours(12))
                + "&to="
                + now,
            doctor);
    assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
    assertThat(report.body())
        .contains("Doses on time 50.0%, proportion of days covered 100.0%")
        .contains("1 of 2 scheduled doses taken within 60 min of their time, 1 late, 0 missed")
        .doesNotContain("Medication adherence: not available");

    // whose: the patient of another record and a nurse of another ward are refused
    assertThat(api.get("/api/v1/patients/" + DISPENSED + "/adherence", patientToken).statusCode())
        .isEqualTo(403);
    assertThat(api.get("/api/v1/patients/" + DISPENSED + "/adherence", otherNurse).statusCode())
        .isEqualTo(403);
    assertThat(
            api.get("/api/v1/patients/" + DISPENSED + "/adherence", otherPatientToken).statusCode())
        .isEqualTo(200);
    assertThat(api.get("/fhir/MedicationRequest?patient=" + DISPENSED, patientToken).statusCode())
        .isEqualTo(403);
    assertThat(
            api.get("/fhir/MedicationAdministration?patient=" + DISPENSED, otherNurse).statusCode())
        .isEqualTo(403);
    assertThat(
            api.get("/fhir/MedicationRequest?patient=" + DISPENSED, otherPatientToken).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aDoseDueAndNotTakenRemindsThePatientWhoReportsTakingIt() throws Exception {
    Instant due = now.minus(Duration.ofMinutes(20));
    String metformin =
        prescribe(
            prescription(
                REMINDED, "Metformin 500 mg tablet", now.minus(Duration.ofHours(1)), null, due));

    // the gateway hears of it, signed as alarm webhooks are
    WebhookReceiver.Request sms =
        WebhookReceiver.shared()
            .await(
                r ->
                    r.path().equals("/medication-hook/sms")
                        && r.text().contains("MedicationRequest/" + metformin),
                1,
                Duration.ofSeconds(30))
            .getFirst();
    JsonNode body = VigilApi.json(sms.text());
    assertThat(body.path("event").asString()).isEqualTo("medication.reminder");
    assertThat(body.path("patient").asString()).isEqualTo("Patient/" + REMINDED);
    assertThat(body.path("medication").asString()).isEqualTo("Metformin 500 mg tablet");
    assertThat(Instant.parse(body.path("dueAt").asString())).isEqualTo(due);
    assertThat(
            new WebhookSigner(ALARM_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8))
                .verifies(
                    sms.header(WebhookSigner.TIMESTAMP_HEADER),
                    sms.body(),
                    sms.header(WebhookSigner.SIGNATURE_HEADER)))
        .isTrue();

    // the portal shows it to the patient, once
    HttpResponse<String> shown =
        api.get("/api/v1/patients/" + REMINDED + "/medication-reminders", patientToken);
    assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
    JsonNode reminders = VigilApi.json(shown.body());
    assertThat(reminders.size()).isEqualTo(1);
    assertThat(reminders.path(0).path("outcome").asString()).isEqualTo("due");
    assertThat(reminders.path(0).path("medication").asString())
        .isEqualTo("Metformin 500 mg tablet");

    // a nurse cannot report for the patient; the patient reports "I took it"
    assertThat(
            api.postJson(
                    "/api/v1/patients/" + REMINDED + "/medications/" + metformin + "/reports",
                    nurse,
                    "{\"taken\":true}")
                .statusCode())
        .isEqualTo(403);
    HttpResponse<String> missingAnswer =
        api.postJson(
            "/api/v1/patients/" + REMINDED + "/medications/" + metformin + "/reports",
            patientToken,
            "{}");
    assertThat(missingAnswer.statusCode()).isEqualTo(400);
    assertThat(missingAnswer.body()).contains("taken");
    HttpResponse<String> reported =
        api.postJson(
            "/api/v1/patients/" + REMINDED + "/medications/" + metformin + "/reports",
            patientToken,
            "{\"taken\":true}");
    assertThat(reported.statusCode()).as(reported.body()).isEqualTo(201);
    String statementId =
        VigilApi.json(reported.body()).path("medicationStatement").asString().split("/")[1];

    MedicationStatement statement =
        api.fhir(nurse).read().resource(MedicationStatement.class).withId(statementId).execute();
    assertThat(statement.getStatus())
        .isEqualTo(MedicationStatement.MedicationStatementStatus.COMPLETED);
    assertThat(statement.getInformationSource().getReference()).isEqualTo("Patient/" + REMINDED);
    assertThat(statement.getBasedOnFirstRep().getReference())
        .isEqualTo("MedicationRequest/" + metformin);

    JsonNode after =
        VigilApi.json(
            api.get("/api/v1/patients/" + REMINDED + "/medication-reminders", patientToken).body());
    assertThat(after.path(0).path("outcome").asString()).isEqualTo("on-time");
    JsonNode adherence =
        VigilApi.json(api.get("/api/v1/patients/" + REMINDED + "/adherence", patientToken).body());
    assertThat(adherence.path("overall").path("onTime").asInt()).isEqualTo(1);
    assertThat(adherence.path("overall").path("onTimePercent").asDouble()).isEqualTo(100.0);
    // one reminder per dose, however often the watch looks
    Thread.sleep(1500);
    assertThat(
            WebhookReceiver.shared()
                .received(r -> r.text().contains("MedicationRequest/" + metformin)))
        .hasSize(1);
  }

  @Test
  void twoMissedDosesInARowAlarmTheCareTeam() throws Exception {
    // one dose a day, 6 h ago: yesterday's and today's both missed (late windows closed)
    Instant today = now.minus(Duration.ofHours(6));
    String warfarin =
        prescribe(
            prescription(
                MISSING, "Warfarin 3 mg tablet", now.minus(Duration.ofHours(31)), null, today));
    String condition = "medication-missed:" + warfarin;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!alarms.isOpen(MISSING, condition) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(alarms.isOpen(MISSING, condition)).isTrue();
    var alarm =
        alarms.ofPatient(MISSING, 10).stream()
            .filter(a -> a.condition().equals(condition))
            .findFirst()
            .orElseThrow();
    assertThat(alarm.summary()).startsWith("2 doses in a row of Warfarin 3 mg tablet missed");
    assertThat(alarm.priority()).isEqualTo(org.vigil.alarm.AlarmPriority.MEDIUM);

    // the schedule is stopped by an update: searchable by status
    MedicationRequest stopped =
        api.fhir(nurse).read().resource(MedicationRequest.class).withId(warfarin).execute();
    stopped.setStatus(MedicationRequest.MedicationRequestStatus.STOPPED);
    MethodOutcome updated = api.fhir(nurse).update().resource(stopped).execute();
    assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
    Bundle stoppedOnes =
        api.fhir(nurse)
            .search()
            .forResource(MedicationRequest.class)
            .where(MedicationRequest.PATIENT.hasId("Patient/" + MISSING))
            .and(MedicationRequest.STATUS.exactly().code("stopped"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(stoppedOnes.getEntry()).hasSize(1);
    // a medicine stopped is watched no more: its alarm resolves (after the hold-off)
    long resolved = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (alarms.isOpen(MISSING, condition) && System.nanoTime() < resolved) {
      Thread.sleep(100);
    }
    assertThat(alarms.isOpen(MISSING, condition)).isFalse();
  }

  @Test
  void adherenceUnderThePatientsThresholdAlarmsTheCareTeamOnItsOwnCondition() throws Exception {
    // this patient's team is alarmed only after 10 misses in a row, and below 90 % on time
    String settings = "/api/v1/patients/" + LOW + "/medication-settings";
    assertThat(api.put(settings, patientToken, "application/json", "{}").statusCode())
        .isEqualTo(403);
    HttpResponse<String> bad =
        api.put(settings, nurse, "application/json", "{\"adherenceThreshold\":1.5}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("adherenceThreshold");
    HttpResponse<String> saved =
        api.put(
            settings,
            nurse,
            "application/json",
            "{\"consecutiveMisses\":10,\"adherenceThreshold\":0.9}");
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
    JsonNode effective = VigilApi.json(saved.body());
    assertThat(effective.path("consecutiveMisses").asInt()).isEqualTo(10);
    assertThat(effective.path("reminderGrace").asString()).isEqualTo("PT15M"); // the default

    // once a day, 6 h ago, for five days: taken on time on the first four days, missed today
    Instant today = now.minus(Duration.ofHours(6));
    String atenolol =
        prescribe(
            prescription(
                LOW,
                "Atenolol 50 mg tablet",
                today.minus(Duration.ofDays(4)).minus(Duration.ofHours(1)),
                null,
                today));
    for (int day = 1; day <= 4; day++) {
      HttpResponse<String> reported =
          api.postJson(
              "/api/v1/patients/" + LOW + "/medications/" + atenolol + "/reports",
              lowPatientToken(),
              "{\"taken\":true,\"time\":\"" + today.minus(Duration.ofDays(day)) + "\"}");
      assertThat(reported.statusCode()).as(reported.body()).isEqualTo(201);
    }
    // 4 of 5 on time: 80 %, under this patient's 90 % (the node's default, 80 %, would not alarm)
    String condition = "medication-adherence:" + atenolol;
    String expected =
        "Atenolol 50 mg tablet taken on time 80 % over 7 days (4 of 5 doses), under the"
            + " target of 90 %";
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    // (before the reports arrived it may have been raised at 0 %; it follows the reports)
    while (!summaryOf(LOW, condition).equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(alarms.isOpen(LOW, condition)).isTrue();
    assertThat(summaryOf(LOW, condition))
        .isEqualTo(
            "Atenolol 50 mg tablet taken on time 80 % over 7 days (4 of 5 doses), under the"
                + " target of 90 %");
    assertThat(alarms.isOpen(LOW, "medication-missed:" + atenolol)).isFalse();
  }

  private String summaryOf(String patient, String condition) {
    return alarms.ofPatient(patient, 10).stream()
        .filter(a -> a.condition().equals(condition) && a.status().open())
        .findFirst()
        .map(a -> a.summary())
        .orElse("");
  }

  private String lowPatientToken;

  private String lowPatientToken() {
    if (lowPatientToken == null) {
      users.save(
          new UserAccount("meds-patient-low", Role.PATIENT, "Lou", Optional.of(LOW), true),
          "pw-pl");
      lowPatientToken =
          new WebSignIn(api.base()).accessToken("meds-patient-low", "pw-pl", PRESCRIBE);
    }
    return lowPatientToken;
  }

  @Test
  void prescriptionsAreCheckedAndOnlyStaffWriteThem() {
    MedicationRequest noTimes = prescription(REMINDED, "Amlodipine 5 mg", now, null);
    UnprocessableEntityException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            UnprocessableEntityException.class,
            () -> api.fhir(nurse).create().resource(noTimes).execute());
    assertThat(refused.getMessage()).contains("timeOfDay");

    MedicationRequest fine = prescription(REMINDED, "Amlodipine 5 mg", now, null, now);
    org.junit.jupiter.api.Assertions.assertThrows(
        ForbiddenOperationException.class,
        () -> api.fhir(patientToken).create().resource(fine).execute());
    org.junit.jupiter.api.Assertions.assertThrows(
        ForbiddenOperationException.class,
        () -> api.fhir(otherNurse).create().resource(fine).execute());

    MedicationRequest asNeeded = prescription(REMINDED, "Paracetamol 500 mg", now, null);
    asNeeded
        .getDosageInstructionFirstRep()
        .setAsNeeded(new org.hl7.fhir.r4.model.BooleanType(true));
    String id = prescribe(asNeeded);
    MedicationRequest read =
        api.fhir(patientToken).read().resource(MedicationRequest.class).withId(id).execute();
    assertThat(read.getDosageInstructionFirstRep().getAsNeededBooleanType().booleanValue())
        .isTrue();
    assertThat(read.getRequester().getReference()).isEqualTo("Practitioner/meds-nurse");
    // a read by id is in the patient's accounting of disclosures
    assertThat(
            audit.search(
                org.vigil.audit.AuditQuery.all().forPatient(REMINDED).byAgent("meds-patient")))
        .anySatisfy(e -> assertThat(e.entry().what()).contains("MedicationRequest/" + id));
  }
}
