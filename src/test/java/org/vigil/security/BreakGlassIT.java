package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.audit.AuditEvent;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * Break-glass over the real server: a clinician opens a patient outside their ward with a reason,
 * sees the record while the access lasts, and everything is in the audit trail with the reason and
 * a flag on each access made under it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BreakGlassIT extends VigilServerTest {

  private static final String PATIENT = "bg-patient";

  @Autowired PatientRepository patients;
  @Autowired UserAccounts users;
  @Autowired ClientRegistry clients;
  @Autowired AuditTrail audit;

  private String doctor;
  private String nurse;
  private String auditor;

  @BeforeAll
  void people() {
    patients.save(
        new Patient(
            PATIENT,
            "MRN-bg",
            "Family",
            "Given",
            Optional.empty(),
            "unknown",
            Optional.of("BG-B"),
            Optional.of("Bed 2"),
            Instant.now()));
    users.save(new UserAccount("bg-doctor", Role.CLINICIAN, "Dr", Optional.empty(), true), "pw-d");
    users.setWards("bg-doctor", Set.of("BG-A"));
    users.save(new UserAccount("bg-nurse", Role.NURSE, "Nurse", Optional.empty(), true), "pw-n");
    users.setWards("bg-nurse", Set.of("BG-A"));
    doctor = new WebSignIn(api().base()).accessToken("bg-doctor", "pw-d", "openid user/*.rs");
    nurse = new WebSignIn(api().base()).accessToken("bg-nurse", "pw-n", "openid user/*.rs");
    auditor =
        api()
            .token(
                "bg-auditor",
                clients.register("bg-auditor", Set.of("system/AuditEvent.rs"), "t"),
                null);
  }

  @Test
  void aClinicianBreaksTheGlassWithAReasonAndItIsAllOnRecord() {
    assertThat(api().get("/fhir/Patient/" + PATIENT, doctor).statusCode()).isEqualTo(403);

    HttpResponse<String> noReason =
        api()
            .postJson(
                "/api/v1/break-glass",
                doctor,
                "{\"patientId\":\"" + PATIENT + "\",\"reason\":\"x\"}");
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("say why");
    HttpResponse<String> byNurse =
        api()
            .postJson(
                "/api/v1/break-glass",
                nurse,
                "{\"patientId\":\""
                    + PATIENT
                    + "\",\"reason\":\"cardiac arrest on the corridor\"}");
    assertThat(byNurse.statusCode()).as("only clinicians break the glass").isEqualTo(403);

    HttpResponse<String> opened =
        api()
            .postJson(
                "/api/v1/break-glass",
                doctor,
                "{\"patientId\":\""
                    + PATIENT
                    + "\",\"reason\":\"cardiac arrest on the corridor\"}");
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
    JsonNode access = VigilApi.json(opened.body());
    assertThat(Instant.parse(access.path("endsAt").asString())).isAfter(Instant.now());

    assertThat(api().get("/fhir/Patient/" + PATIENT, doctor).statusCode()).isEqualTo(200);
    assertThat(api().get("/fhir/Observation?patient=" + PATIENT, doctor).statusCode())
        .isEqualTo(200);
    assertThat(api().get("/fhir/Patient/" + PATIENT, nurse).statusCode())
        .as("the glass is broken for the clinician only")
        .isEqualTo(403);

    var events = audit.search(AuditQuery.all().byAgent("bg-doctor").page(0, 100));
    assertThat(events)
        .anySatisfy(e -> {
          assertThat(e.entry().category()).isEqualTo("break-glass");
          assertThat(e.entry().detail()).contains("cardiac arrest on the corridor");
          assertThat(e.entry().patients()).containsExactly(PATIENT);
        });
    AuditEvent read =
        events.stream()
            .filter(e -> e.entry().what().equals("read Patient/" + PATIENT))
            .filter(e -> e.entry().outcome() == 0)
            .findFirst()
            .orElseThrow();
    assertThat(read.entry().detail()).contains("break-glass access to " + PATIENT);

    HttpResponse<String> listed = api().get("/api/v1/break-glass?patient=" + PATIENT, auditor);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains("bg-doctor", "cardiac arrest on the corridor");
    assertThat(api().get("/api/v1/break-glass?patient=" + PATIENT, doctor).statusCode())
        .as("the clinician who broke the glass is not the patient's care team")
        .isEqualTo(403);
    users.save(
        new UserAccount("bg-ward-nurse", Role.NURSE, "Nurse", Optional.empty(), true), "pw-w");
    users.setWards("bg-ward-nurse", Set.of("BG-B"));
    String wardNurse =
        new WebSignIn(api().base()).accessToken("bg-ward-nurse", "pw-w", "openid user/*.rs");
    HttpResponse<String> reported = api().get("/api/v1/break-glass?patient=" + PATIENT, wardNurse);
    assertThat(reported.statusCode())
        .as("the patient's own ward sees who opened them")
        .isEqualTo(200);
    assertThat(reported.body()).contains("bg-doctor", "cardiac arrest on the corridor");

    // Closed early (as it would end at its time): the record is out of reach again.
    assertThat(
            api().delete("/api/v1/break-glass/" + access.path("id").asLong(), doctor).statusCode())
        .isEqualTo(204);
    assertThat(api().get("/fhir/Patient/" + PATIENT, doctor).statusCode()).isEqualTo(403);
  }
}
