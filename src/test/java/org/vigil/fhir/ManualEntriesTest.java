package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.vigil.api.OperationOutcomes;
import org.vigil.ingest.IngestProperties;
import org.vigil.log.InProcessIngestLog;
import org.vigil.log.IngestLogProperties;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementIds;
import org.vigil.normalize.Normalizer;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;

/**
 * Manual entries go through the ingest log exactly as device readings do: they are answered only
 * once the acknowledging group (the store writer) has them, every other consumer group sees them
 * afterwards, and a log that cannot take them is a 503 with {@code Retry-After}. Real log, real
 * normalizer; the consumers stand in for the store writer and for analytics.
 */
class ManualEntriesTest {

  private static final MeasurementCatalog CATALOG = MeasurementCatalog.standard();
  private static final String PATIENT = "patient-017";

  private final List<InProcessIngestLog> logs = new CopyOnWriteArrayList<>();

  @BeforeEach
  void signInANurse() {
    Jwt jwt =
        Jwt.withTokenValue("t")
            .header("alg", "RS256")
            .subject("nurse-ada")
            .claim(PatientAccess.ROLE_CLAIM, "nurse")
            .build();
    SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt));
  }

  @AfterEach
  void close() {
    SecurityContextHolder.clearContext();
    logs.forEach(InProcessIngestLog::close);
  }

  private InProcessIngestLog log(int capacity) {
    InProcessIngestLog log =
        new InProcessIngestLog(
            new IngestLogProperties(1, 1, capacity, 100, "store"), new SimpleMeterRegistry());
    logs.add(log);
    return log;
  }

  private static ManualEntries entries(InProcessIngestLog log, Duration durableTimeout) {
    IngestProperties limits =
        new IngestProperties(
            262_144,
            1000,
            Duration.ofMinutes(5),
            durableTimeout,
            50,
            100,
            ZoneId.of("UTC"),
            Duration.ofDays(14));
    return new ManualEntries(
        new Normalizer(CATALOG, new MeasurementIds(Clock.systemUTC(), 0, 0), Duration.ofMinutes(5)),
        log,
        limits,
        new ObservationMapper(CATALOG),
        new OperationOutcomes(FhirContext.forR4Cached()));
  }

  private static SystemRequestDetails requestOfTheNursesWard() {
    SystemRequestDetails request = new SystemRequestDetails();
    request
        .getUserData()
        .put(
            PatientCompartmentRules.SCOPE,
            new PatientAccess.Scope(false, Set.of(PATIENT), Optional.of(Role.NURSE), Set.of()));
    return request;
  }

  private static List<ManualEntries.Entry> respiratoryRate() {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.getCode().addCoding(new Coding("http://loinc.org", "9279-1", null));
    o.setSubject(new Reference("Patient/" + PATIENT));
    o.setEffective(new DateTimeType(Date.from(Instant.now().truncatedTo(ChronoUnit.SECONDS))));
    o.setValue(
        new Quantity()
            .setValue(BigDecimal.valueOf(24))
            .setSystem("http://unitsofmeasure.org")
            .setCode("/min"));
    return List.of(new ManualEntries.Entry(o, "Observation"));
  }

  @Test
  void answersOnlyOnceTheStoreWriterHasTheReadingAndThenEveryConsumerSeesIt() throws Exception {
    InProcessIngestLog log = log(100);
    List<Measurement> stored = new CopyOnWriteArrayList<>();
    List<Measurement> analysed = new CopyOnWriteArrayList<>();
    CountDownLatch seenByAnalytics = new CountDownLatch(1);
    log.subscribe("store", stored::addAll);
    log.subscribe(
        "analytics",
        batch -> {
          analysed.addAll(batch);
          seenByAnalytics.countDown();
        });

    List<Observation> created =
        entries(log, Duration.ofSeconds(5)).store(respiratoryRate(), requestOfTheNursesWard());

    assertThat(stored).hasSize(1);
    Measurement reading = stored.getFirst();
    assertThat(reading.deviceId()).isEqualTo("manual:nurse-ada");
    assertThat(reading.isManualEntry()).isTrue();
    assertThat(reading.patientId()).isEqualTo(PATIENT);
    assertThat(created.getFirst().getIdPart()).isEqualTo(Long.toString(reading.id()));
    assertThat(created.getFirst().getPerformerFirstRep().getReference())
        .isEqualTo("Practitioner/nurse-ada");
    assertThat(seenByAnalytics.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(analysed).containsExactly(reading);
  }

  @Test
  void aUserNameTooLongToBeStoredAsTheSourceIsRefusedBeforeAnythingIsAppended() {
    Jwt jwt =
        Jwt.withTokenValue("t")
            .header("alg", "RS256")
            .subject("n".repeat(58))
            .claim(PatientAccess.ROLE_CLAIM, "clinician")
            .build();
    SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt));
    InProcessIngestLog log = log(100);
    List<Measurement> stored = new CopyOnWriteArrayList<>();
    log.subscribe("store", stored::addAll);

    assertThatThrownBy(() ->
            entries(log, Duration.ofSeconds(5)).store(respiratoryRate(), requestOfTheNursesWard()))
        .isInstanceOfSatisfying(
            BaseServerResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(403));
    assertThat(stored).isEmpty();
  }

  @Test
  void aLogWithoutItsStoreWriterIs503WithRetryAfter() {
    ManualEntries entries = entries(log(100), Duration.ofSeconds(5));

    assertUnavailable(() -> entries.store(respiratoryRate(), requestOfTheNursesWard()));
  }

  @Test
  void aReadingNotConfirmedDurableInTimeIs503WithRetryAfter() {
    InProcessIngestLog log = log(100);
    CountDownLatch release = new CountDownLatch(1);
    log.subscribe("store", batch -> release.await(10, TimeUnit.SECONDS));
    ManualEntries entries = entries(log, Duration.ofMillis(200));
    try {
      assertUnavailable(() -> entries.store(respiratoryRate(), requestOfTheNursesWard()));
    } finally {
      release.countDown();
    }
  }

  @Test
  void aFullLogIs503WithRetryAfter() throws InterruptedException {
    InProcessIngestLog log = log(1);
    CountDownLatch working = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    log.subscribe(
        "store",
        batch -> {
          working.countDown();
          release.await(10, TimeUnit.SECONDS);
        });
    ManualEntries entries = entries(log, Duration.ofSeconds(5));
    try {
      // a device's message occupies the worker, a second fills the queue of one
      log.append(List.of(heartRate(1)));
      assertThat(working.await(5, TimeUnit.SECONDS)).isTrue();
      log.append(List.of(heartRate(2)));

      assertUnavailable(() -> entries.store(respiratoryRate(), requestOfTheNursesWard()));
    } finally {
      release.countDown();
    }
  }

  private static Measurement heartRate(long id) {
    Instant now = Instant.now();
    return new Measurement(id, PATIENT, "monitor-017", "8867-4", 0, 70, "/min", now, now);
  }

  private static void assertUnavailable(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(503);
              assertThat(e.getResponseHeaders()).containsEntry("Retry-After", List.of("1"));
              assertThat(e.getOperationOutcome()).isNotNull();
            });
  }
}
