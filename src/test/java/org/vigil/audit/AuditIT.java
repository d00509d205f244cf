package org.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilProcess;
import org.vigil.testsupport.VigilServerTest;

/**
 * The audit trail of a running node: every FHIR access to patient data is recorded with the
 * patients it touched, refusals and failed sign-ins too; admins read it as FHIR AuditEvents; and
 * {@code vigil audit verify} notices an edited or deleted row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired AuditTrail trail;
  @Autowired JdbcTemplate jdbc;

  private String readerSecret;
  private String reader;
  private String auditor;

  @BeforeAll
  void setUp() {
    TestWard ward = new TestWard(patients, devices);
    ward.device("audit-monitor-1", "bedside-monitor", "audit-patient-1");
    ward.patient("audit-patient-2");
    readerSecret = clients.register("audit-reader", Set.of("system/*.rs"), "test");
    reader = api().token("audit-reader", readerSecret, null);
    String auditorSecret =
        clients.register("audit-auditor", Set.of("system/AuditEvent.rs"), "test");
    auditor = api().token("audit-auditor", auditorSecret, null);
  }

  private List<AuditEvent> by(String agent) {
    return trail.search(AuditQuery.all().byAgent(agent).page(0, 1000));
  }

  @Test
  void everyFhirAccessToPatientDataIsAudited() {
    List<String> reads =
        List.of(
            "/fhir/Patient/audit-patient-1",
            "/fhir/Observation?patient=audit-patient-1&code=http://loinc.org%7C8867-4",
            "/fhir/Observation?subject=Patient/audit-patient-2",
            "/fhir/Device?patient=audit-patient-1",
            "/fhir/Device/audit-monitor-1",
            "/fhir/Patient",
            "/fhir/Observation/999999");
    int before = by("audit-reader").size();
    for (String read : reads) {
      HttpResponse<String> response = api().get(read, reader);
      assertThat(response.statusCode()).as(read).isIn(200, 404);
    }

    List<AuditEvent> events = by("audit-reader");
    System.out.printf(
        "PHI reads made: %d, audit events recorded: %d%n", reads.size(), events.size() - before);
    assertThat(events).hasSize(before + reads.size());
    // newest first
    AuditEvent patientRead = events.get(reads.size() - 1);
    assertThat(patientRead.entry().what()).isEqualTo("read Patient/audit-patient-1");
    assertThat(patientRead.entry().patients()).containsExactly("audit-patient-1");
    assertThat(patientRead.entry().action()).isEqualTo("R");
    assertThat(patientRead.entry().agent().type()).isEqualTo("client");
    assertThat(patientRead.entry().agent().address()).contains("127.0.0.1");
    assertThat(events.get(reads.size() - 3).entry().patients()).containsExactly("audit-patient-2");
    assertThat(events.get(reads.size() - 4).entry().patients()).containsExactly("audit-patient-1");
    assertThat(events.get(1).entry().patients())
        .as("a search lists every patient it returned")
        .contains("audit-patient-1", "audit-patient-2");
    AuditEvent notFound = events.getFirst();
    assertThat(notFound.entry().outcome()).isEqualTo(AuditEntry.MINOR_FAILURE);
    assertThat(notFound.entry().detail().orElseThrow()).startsWith("404");
  }

  @Test
  void theTrailIsForAdminsAndTheRefusalIsAuditedToo() {
    int before = by("audit-reader").size();
    assertThat(api().get("/fhir/AuditEvent?patient=audit-patient-1", reader).statusCode())
        .as("system/*.rs does not reach the audit trail")
        .isEqualTo(403);
    AuditEvent refusal = by("audit-reader").getFirst();
    assertThat(by("audit-reader")).hasSize(before + 1);
    assertThat(refusal.entry().outcome()).isEqualTo(AuditEntry.MINOR_FAILURE);
    assertThat(refusal.entry().what()).startsWith("search-type AuditEvent");

    api().get("/fhir/Patient/audit-patient-1", reader);
    Bundle report =
        api()
            .fhir(auditor)
            .search()
            .byUrl("AuditEvent?patient=audit-patient-1")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(report.getEntry())
        .map(e -> (org.hl7.fhir.r4.model.AuditEvent) e.getResource())
        .anySatisfy(e -> {
          assertThat(e.getAgentFirstRep().getWho().getIdentifier().getValue())
              .isEqualTo("audit-reader");
          assertThat(e.getEntityFirstRep().getWhat().getReference())
              .isEqualTo("Patient/audit-patient-1");
          assertThat(e.getSubtypeFirstRep().getCode()).isEqualTo("read");
        });
  }

  @Test
  void aFailedSignInIsAudited() {
    assertThatThrownBy(() -> api().token("audit-reader", "wrong", null))
        .hasMessageContaining("401");

    assertThat(by("audit-reader"))
        .anySatisfy(e -> {
          assertThat(e.entry().category()).isEqualTo("login");
          assertThat(e.entry().outcome()).isEqualTo(AuditEntry.MINOR_FAILURE);
        });
  }

  @Test
  void aDeviceCredentialChangeIsAuditedWithWhoMadeIt() {
    String admin =
        api()
            .token(
                "audit-device-admin",
                clients.register("audit-device-admin", Set.of("system/Device.cruds"), "test"),
                null);
    api().postJson("/api/v1/devices", admin, "{\"id\":\"audit-cuff-1\",\"type\":\"bp-cuff\"}");
    api().postJson("/api/v1/devices/audit-cuff-1/token", admin, "");

    assertThat(by("audit-device-admin"))
        .extracting(e -> e.entry().what())
        .contains("register device audit-cuff-1", "rotate token of device audit-cuff-1");
  }

  @Test
  void theCommandLineNamesAnEditedOrDeletedEvent() {
    api().get("/fhir/Patient/audit-patient-2", reader);
    long id = by("audit-reader").getFirst().id();
    VigilProcess.Result intact = verify();
    assertThat(intact.exitCode()).as(intact.stderr()).isZero();
    assertThat(intact.stdout()).contains("audit trail intact");

    String original =
        jdbc.queryForObject("select what from audit_event where id = ?", String.class, id);
    jdbc.update("update audit_event set what = 'nothing to see here' where id = ?", id);
    try {
      VigilProcess.Result edited = verify();
      assertThat(edited.exitCode()).isEqualTo(2);
      assertThat(edited.stdout()).contains("BROKEN at event " + id, "was altered");
    } finally {
      jdbc.update("update audit_event set what = ? where id = ?", original, id);
    }

    var row = jdbc.queryForMap("select * from audit_event where id = ?", id);
    jdbc.update("delete from audit_event where id = ?", id);
    try {
      assertThat(trail.verify().firstBrokenEvent()).contains(id);
    } finally {
      jdbc.update(
          "insert into audit_event (id, recorded_at, category, action, outcome, agent_type,"
              + " agent_id, agent_client, source_address, what, detail, previous_hash, hash)"
              + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          row.get("id"),
          row.get("recorded_at"),
          row.get("category"),
          row.get("action"),
          row.get("outcome"),
          row.get("agent_type"),
          row.get("agent_id"),
          row.get("agent_client"),
          row.get("source_address"),
          row.get("what"),
          row.get("detail"),
          row.get("previous_hash"),
          row.get("hash"));
    }
    assertThat(trail.verify().isIntact()).isTrue();
  }

  private static VigilProcess.Result verify() {
    return VigilProcess.run(
        Duration.ofSeconds(90), "audit", "verify", "--data-dir", DATA_DIR.toString());
  }
}
