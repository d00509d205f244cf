package org.vigil.telemedicine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.privacy.FieldCipher;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;
import org.vigil.testsupport.TestDatabase;

/**
 * Visits are kept alike on every database Vigil supports (migrations V18 and V21): schedules and
 * slots, appointments and their status, join links (once, until they expire, for their owner),
 * reminders marked once, and Encounters whose note is stored sealed and re-encrypted in batches.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class VisitStoresIT {

  /** Seals by reversing, so that a test sees what is stored is not the text. */
  private static final FieldCipher CIPHER =
      new FieldCipher() {
        @Override
        public String encrypt(String plaintext, String context) {
          return "sealed:" + context + ":" + new StringBuilder(plaintext).reverse();
        }

        @Override
        public String decrypt(String ciphertext, String context) {
          String prefix = "sealed:" + context + ":";
          if (!ciphertext.startsWith(prefix)) {
            throw new IllegalStateException("another context");
          }
          return new StringBuilder(ciphertext.substring(prefix.length())).reverse().toString();
        }

        @Override
        public boolean isCiphertext(String stored) {
          return stored.startsWith("sealed:");
        }

        @Override
        public String reencrypt(String ciphertext, String context) {
          return ciphertext;
        }

        @Override
        public String blindIndex(String kind, String value) {
          return kind + value;
        }
      };

  @Parameter TestDatabase database;

  private TestDatabase.Instance db;
  private JdbcTemplate jdbc;
  private final TelemedicineProperties settings =
      new TelemedicineProperties(
          List.of(),
          "",
          "",
          Duration.ofMinutes(15),
          Duration.ofMinutes(2),
          Duration.ofMinutes(15),
          Duration.ofMinutes(30));
  private final VisitCaller doctor =
      new VisitCaller(
          "st-doc",
          Role.CLINICIAN,
          Optional.empty(),
          new PatientAccess.Scope(false, Set.of("st-p1"), Optional.of(Role.CLINICIAN), Set.of()));

  @BeforeEach
  void createDatabase() {
    db = database.create();
    jdbc = new JdbcTemplate(db.dataSource());
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    jdbc.update("insert into patient (id, created_at) values ('st-p1', ?)", now);
    jdbc.update(
        "insert into user_account (username, password_hash, role, enabled, created_at)"
            + " values ('st-doc', 'x', 'clinician', true, ?)",
        now);
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  @Test
  void schedulesSlotsAndAppointmentsAreKept() {
    Schedules schedules = new Schedules(jdbc);
    VisitNotices notices = new VisitNotices(jdbc);
    // booking a slot needs no patient register or access rules: callNow and find use neither
    Appointments appointments = new Appointments(jdbc, schedules, null, null, settings, notices);
    ClinicianSchedule schedule = schedules.create(doctor, Optional.of("Clinic"));
    Instant start =
        Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    OfferedSlot slot =
        schedules.offer(doctor, schedule.id(), start, start.plus(Duration.ofMinutes(15)));
    assertThat(schedules.slots(Optional.of(schedule.id()), Optional.of(true), Instant.now(), 10))
        .extracting(OfferedSlot::id)
        .containsExactly(slot.id());
    assertThat(schedules.take(slot.id())).isTrue();
    assertThat(schedules.take(slot.id())).isFalse();
    assertThat(schedules.slot(slot.id()).orElseThrow().free()).isFalse();
    assertThat(schedules.slot(slot.id()).orElseThrow().start()).isEqualTo(start);

    Appointment now = appointments.callNow(doctor, "st-p1", Optional.of(7L));
    assertThat(appointments.find(now.id()).orElseThrow().alarmId()).contains(7L);
    assertThat(notices.of("st-p1"))
        .extracting(VisitNotices.Notice::kind)
        .containsExactly("invitation");
    appointments.setStatus(now.id(), Appointment.Status.ARRIVED);
    assertThat(
            appointments.search(
                Optional.of("st-p1"), Optional.of("st-doc"), Optional.of("arrived"), 10))
        .extracting(Appointment::id)
        .containsExactly(now.id());

    // a booked visit soon is reminded of once
    jdbc.update(
        "update visit_appointment set on_demand = false, status = 'booked' where id = ?", now.id());
    assertThat(appointments.dueForReminder(Instant.now().plus(Duration.ofMinutes(15)))).hasSize(1);
    assertThat(appointments.markReminded(now.id())).isTrue();
    assertThat(appointments.markReminded(now.id())).isFalse();
    assertThat(appointments.dueForReminder(Instant.now().plus(Duration.ofMinutes(15)))).isEmpty();
  }

  @Test
  void joinLinksAreGoodOnceForTheirOwnerUntilTheyExpire() {
    Appointments appointments =
        new Appointments(jdbc, new Schedules(jdbc), null, null, settings, new VisitNotices(jdbc));
    String visit = appointments.callNow(doctor, "st-p1", Optional.empty()).id();
    JoinLinks links = new JoinLinks(jdbc, settings);
    JoinLinks.Issued issued = links.issue(visit, "st-doc");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from visit_join_link where token_hash = ?",
                Integer.class,
                issued.link()))
        .as("the link itself is not stored")
        .isZero();
    assertThat(links.redeem(issued.link(), "st-doc").appointmentId()).contains(visit);
    assertThat(links.redeem(issued.link(), "st-doc").refusal()).contains(JoinLinks.Refusal.USED);
    assertThat(links.redeem(links.issue(visit, "st-doc").link(), "someone").refusal())
        .contains(JoinLinks.Refusal.NOT_YOURS);
    JoinLinks past =
        new JoinLinks(jdbc, settings, Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
    assertThat(links.redeem(past.issue(visit, "st-doc").link(), "st-doc").refusal())
        .contains(JoinLinks.Refusal.EXPIRED);
    assertThat(links.redeem("not-a-link", "st-doc").refusal()).contains(JoinLinks.Refusal.UNKNOWN);
  }

  @Test
  void anEncounterKeepsItsPeriodAndItsNoteSealed() {
    Appointments appointments =
        new Appointments(jdbc, new Schedules(jdbc), null, null, settings, new VisitNotices(jdbc));
    Appointment visit = appointments.callNow(doctor, "st-p1", Optional.empty());
    VisitEncounters encounters = new VisitEncounters(jdbc, CIPHER);
    VisitEncounter open = encounters.open(visit);
    assertThat(encounters.open(visit).id()).as("a rejoin keeps the first").isEqualTo(open.id());
    VisitEncounter finished = encounters.finish(open.id(), Optional.of("Swelling less; continue."));
    assertThat(finished.status()).isEqualTo("finished");
    assertThat(finished.end()).isPresent();
    assertThat(finished.note()).contains("Swelling less; continue.");
    assertThat(
            jdbc.queryForObject(
                "select note_sealed from visit_encounter where id = ?", String.class, open.id()))
        .doesNotContain("Swelling");
    assertThat(
            encounters.search(Optional.of("st-p1"), Optional.of(visit.id()), Optional.empty(), 10))
        .hasSize(1);
    assertThat(
            encounters.search(
                Optional.empty(), Optional.empty(), Optional.of(open.practitioner()), 10))
        .extracting(VisitEncounter::id)
        .contains(open.id());
    assertThat(encounters.search(Optional.empty(), Optional.empty(), Optional.of("nobody-st"), 10))
        .isEmpty();
    var batch = encounters.reencrypt(Optional.empty(), 10);
    assertThat(batch.read()).isEqualTo(1);
    assertThat(batch.last()).contains(open.id());
  }
}
