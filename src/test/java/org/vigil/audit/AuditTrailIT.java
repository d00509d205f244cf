package org.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.testsupport.TestDatabase;

/**
 * The audit trail's hash chain on every database Vigil supports: intact when untouched, and broken
 * at exactly the right event by each way someone with database access could cover their tracks.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class AuditTrailIT {

  @Parameter TestDatabase database;

  private TestDatabase.Instance db;
  private JdbcTemplate jdbc;
  private AuditTrail trail;

  @BeforeEach
  void createDatabase() {
    db = database.create();
    jdbc = new JdbcTemplate(db.dataSource());
    trail =
        new AuditTrail(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(db.dataSource())),
            new SimpleMeterRegistry());
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  private static AuditEntry read(String user, String patient) {
    return new AuditEntry(
        "fhir",
        "R",
        AuditEntry.SUCCESS,
        new AuditAgent("user", user, Optional.of("web"), Optional.of("10.0.0.7")),
        Set.of(patient),
        "read Patient/" + patient,
        Optional.empty());
  }

  private void recordFive() {
    for (int i = 1; i <= 5; i++) {
      trail.record(read("nurse-" + i, "patient-" + i));
    }
  }

  @Test
  void anUntouchedTrailIsIntactAndReadsBack() {
    recordFive();

    assertThat(trail.verify())
        .isEqualTo(new AuditVerification(5, Optional.empty(), Optional.empty()));
    AuditEvent third = trail.find(3).orElseThrow();
    assertThat(third.entry()).isEqualTo(read("nurse-3", "patient-3"));
    assertThat(third.previousHash()).isEqualTo(trail.find(2).orElseThrow().hash());
    assertThat(trail.search(AuditQuery.all().forPatient("patient-4")))
        .singleElement()
        .extracting(e -> e.entry().agent().id())
        .isEqualTo("nurse-4");
    assertThat(trail.search(AuditQuery.all().byAgent("nurse-2")))
        .extracting(AuditEvent::id)
        .containsExactly(2L);
  }

  @Test
  void anEditedEventIsNamed() {
    recordFive();
    jdbc.update("update audit_event set agent_id = 'somebody-else' where id = 3");

    AuditVerification result = trail.verify();

    assertThat(result.isIntact()).isFalse();
    assertThat(result.firstBrokenEvent()).contains(3L);
    assertThat(result.problem().orElseThrow()).contains("event 3 was altered");
    assertThat(result.intactEvents()).isEqualTo(2);
  }

  @Test
  void aPatientRemovedFromAnEventIsNoticed() {
    recordFive();
    jdbc.update("delete from audit_event_patient where event_id = 4");

    assertThat(trail.verify().firstBrokenEvent()).contains(4L);
  }

  @Test
  void anEditWithARecomputedHashBreaksTheNextLink() {
    recordFive();
    // Someone who knows the scheme rewrites event 2 and gives it a matching hash…
    AuditEvent original = trail.find(2).orElseThrow();
    AuditEntry forged = read("nobody", "patient-2");
    AuditEvent rewritten =
        AuditEvent.chained(2, original.recordedAt(), forged, original.previousHash());
    jdbc.update(
        "update audit_event set agent_id = 'nobody', hash = ? where id = 2", rewritten.hash());

    AuditVerification result = trail.verify();

    // …which event 3 no longer follows.
    assertThat(result.firstBrokenEvent()).contains(3L);
    assertThat(result.problem().orElseThrow()).contains("does not follow event 2");
  }

  @Test
  void aDeletedEventIsNamed() {
    recordFive();
    jdbc.update("delete from audit_event where id = 2");

    AuditVerification result = trail.verify();

    assertThat(result.firstBrokenEvent()).contains(2L);
    assertThat(result.problem().orElseThrow()).contains("event 2 is missing");
  }

  @Test
  void eventsCutOffTheEndAreNoticed() {
    recordFive();
    jdbc.update("delete from audit_event where id >= 4");

    AuditVerification result = trail.verify();

    assertThat(result.firstBrokenEvent()).contains(4L);
    assertThat(result.problem().orElseThrow()).contains("events 4 to 5 are missing");
  }

  @Test
  void concurrentWritersExtendOneChain() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        writers.add(
            pool.submit(() -> {
              for (int i = 0; i < 25; i++) {
                trail.record(read("writer-" + writer, "patient-" + i));
              }
            }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(trail.verify())
        .isEqualTo(new AuditVerification(100, Optional.empty(), Optional.empty()));
  }
}
