package org.vigil.chronic;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditTrail;
import org.vigil.testsupport.TestDatabase;

/**
 * Care plans and review time as stored (migrations V17 and V20), on every database Vigil supports:
 * a plan's programs and every target come back as written, a second write is version 2 of the same
 * plan, a revoked plan is kept but not active; review time sums per person within the period.
 * Programs that change alarm rules (diabetes, COPD) are covered over the wire by ChronicCareIT.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class CarePlansIT {

  private static final AuditAgent DOCTOR =
      new AuditAgent("user", "dr-holm", Optional.of("web"), Optional.empty());

  @Parameter TestDatabase database;

  private TestDatabase.Instance db;
  private CarePlans plans;
  private ReviewTimes reviews;

  @BeforeEach
  void createDatabase() {
    db = database.create();
    JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
    TransactionTemplate tx =
        new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
    AuditTrail audit = new AuditTrail(jdbc, tx, new SimpleMeterRegistry());
    // No alarm rules are touched by the programs used here.
    plans = new CarePlans(jdbc, tx, audit, null, null, null);
    reviews = new ReviewTimes(jdbc, audit);
    for (String patient : new String[] {"p1", "p2"}) {
      jdbc.update(
          "insert into patient (id, mrn, family_name, given_name, birth_date, gender, created_at)"
              + " values (?, ?, 'Test', 'Pat', ?, 'unknown', ?)",
          patient,
          "mrn-" + patient,
          java.sql.Date.valueOf(LocalDate.of(1950, 1, 1)),
          java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z"));
    }
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  @Test
  void aPlanComesBackAsWrittenAndAChangeIsItsNextVersion() {
    CareTargets targets =
        new CareTargets(
            130,
            80,
            72,
            160,
            50,
            Duration.ofMinutes(15),
            Optional.of(78.5),
            new WeightGain(1.5, 2),
            90,
            96);
    CarePlan first =
        plans.save(
            "p1",
            true,
            Set.of(CareProgram.HYPERTENSION, CareProgram.HEART_FAILURE),
            ZoneId.of("Europe/Stockholm"),
            targets,
            Optional.of("home monitoring from 1 December"),
            DOCTOR);
    assertThat(first.version()).isEqualTo(1);
    assertThat(first.active()).isTrue();
    assertThat(first.programs())
        .containsExactlyInAnyOrder(CareProgram.HYPERTENSION, CareProgram.HEART_FAILURE);
    assertThat(first.zone()).isEqualTo(ZoneId.of("Europe/Stockholm"));
    assertThat(first.targets()).isEqualTo(targets);
    assertThat(first.note()).contains("home monitoring from 1 December");
    assertThat(first.updatedBy()).isEqualTo("dr-holm");
    assertThat(plans.find(first.id())).contains(first);

    CarePlan revoked =
        plans.save(
            "p1",
            false,
            Set.of(CareProgram.HYPERTENSION),
            ZoneId.of("UTC"),
            CareTargets.defaults(Set.of()),
            Optional.empty(),
            DOCTOR);
    assertThat(revoked.id()).isEqualTo(first.id());
    assertThat(revoked.version()).isEqualTo(2);
    assertThat(revoked.active()).isFalse();
    assertThat(revoked.targets().targetWeightKg()).isEmpty();
    assertThat(plans.activeOf("p1")).isEmpty();
    assertThat(plans.of("p2")).isEmpty();
    assertThat(plans.all(10)).extracting(CarePlan::patientId).containsExactly("p1");
  }

  @Test
  void reviewTimeSumsPerPersonWithinThePeriod() {
    Instant t0 = Instant.parse("2026-11-10T09:00:00Z");
    reviews.record("p1", "dr-holm", t0, 95, DOCTOR);
    reviews.record("p1", "dr-holm", t0.plus(Duration.ofDays(1)), 300, DOCTOR);
    reviews.record("p1", "nurse-ada", t0.plus(Duration.ofDays(2)), 60, DOCTOR);
    reviews.record("p1", "dr-holm", t0.plus(Duration.ofDays(40)), 999, DOCTOR);
    reviews.record("p2", "dr-holm", t0, 50, DOCTOR);

    assertThat(reviews.of("p1", t0, t0.plus(Duration.ofDays(30))))
        .containsExactly(
            new ReviewTimes.ByPerson("dr-holm", 395), new ReviewTimes.ByPerson("nurse-ada", 60));
    assertThat(reviews.of("p1", t0.plusSeconds(1), t0.plus(Duration.ofDays(2))))
        .containsExactly(new ReviewTimes.ByPerson("dr-holm", 300));
  }
}
