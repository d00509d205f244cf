package org.vigil.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.vigil.api.OperationOutcomes;
import org.vigil.ingest.IngestProperties;
import org.vigil.log.IngestLog;
import org.vigil.log.IngestLogUnavailableException;
import org.vigil.measurement.Measurement;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import org.vigil.normalize.Normalizer;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;

/**
 * Readings people enter through the FHIR API (a nurse's ACVPU, oxygen flow, a manual blood
 * pressure), stored the way a device's are: normalized by the same {@link Normalizer} (catalog
 * codes, UCUM conversions, time limits, a fresh id), their source {@code manual:<username>}, and
 * appended to the {@link IngestLog} — so they are acknowledged only once durable, and every
 * consumer of the log (analytics among them) sees them exactly like device readings.
 *
 * <p>Only nurses and clinicians enter readings, and only for patients they may see; a system or a
 * patient cannot, whatever its scopes (an entry records the person who took it).
 */
@Component
class ManualEntries {

  /** Normalizer locations end in the native message's field names; FHIR names them so. */
  private static final Map<String, String> FHIR_FIELDS =
      Map.of(
          ".system", ".code.coding",
          ".code", ".code",
          ".unit", ".valueQuantity.code",
          ".time", ".effectiveDateTime");

  private final Normalizer normalizer;
  private final IngestLog log;
  private final IngestProperties limits;
  private final ObservationMapper mapper;
  private final OperationOutcomes outcomes;
  private final Clock clock = Clock.systemUTC();

  ManualEntries(
      Normalizer normalizer,
      IngestLog log,
      IngestProperties limits,
      ObservationMapper mapper,
      OperationOutcomes outcomes) {
    this.normalizer = normalizer;
    this.log = log;
    this.limits = limits;
    this.mapper = mapper;
    this.outcomes = outcomes;
  }

  /** One Observation to store, and where it sits in the request (its FHIRPath). */
  record Entry(Observation observation, String at) {}

  /**
   * Stores the Observations — all for one patient — entirely or not at all, and returns them as
   * stored, in order.
   *
   * @throws ForbiddenOperationException when the caller may not enter readings for a patient named
   * @throws UnprocessableEntityException naming every element that is wrong
   * @throws UnclassifiedServerFailureException 503 with {@code Retry-After} when the log could not
   *     make them durable (nothing was acknowledged; a retry is not stored twice)
   */
  /**
   * Refuses, as {@link #store} would, a caller who may not enter readings for the patient: before a
   * conditional create looks among the patient's Observations.
   */
  void checkMayEnter(String patientId, RequestDetails request) {
    enteringPerson();
    if (!scopeOf(request).mayAccess(patientId)) {
      throw new ForbiddenOperationException("no access to enter readings for Patient/" + patientId);
    }
  }

  List<Observation> store(List<Entry> entries, RequestDetails request) {
    String username = enteringPerson();
    if (entries.isEmpty()) {
      return List.of();
    }
    PatientAccess.Scope scope = scopeOf(request);
    for (Entry entry : entries) {
      ManualObservationReader.patientOf(entry.observation())
          .filter(patient -> !scope.mayAccess(patient))
          .ifPresent(patient -> {
            throw new ForbiddenOperationException(
                "no access to enter readings for Patient/" + patient);
          });
    }
    List<MessageProblem> problems = new ArrayList<>();
    List<DeviceReading> readings = new ArrayList<>();
    Set<String> patients = new LinkedHashSet<>();
    for (Entry entry : entries) {
      ManualObservationReader.read(
              entry.observation(), entry.at(), "Practitioner/" + username, problems)
          .ifPresent(entered -> {
            if (!patients.isEmpty() && !patients.contains(entered.patientId())) {
              problems.add(
                  new MessageProblem(
                      entry.at() + ".subject",
                      "names Patient/"
                          + entered.patientId()
                          + ", but an earlier entry Patient/"
                          + patients.iterator().next()
                          + ": one transaction stores one patient's readings"));
            }
            patients.add(entered.patientId());
            readings.add(entered.reading());
          });
    }
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    List<Measurement> measurements;
    try {
      measurements =
          normalizer.normalize(
              readings,
              patients.iterator().next(),
              Measurement.MANUAL_ENTRY_PREFIX + username,
              clock.instant());
    } catch (InvalidMessageException e) {
      throw invalid(e.problems().stream().map(ManualEntries::inFhirTerms).toList());
    }
    awaitDurable(measurements);
    return measurements.stream().map(mapper::toObservation).toList();
  }

  private void awaitDurable(List<Measurement> measurements) {
    try {
      log.append(measurements).get(limits.durableTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unavailable(
          e.getCause() instanceof IngestLogUnavailableException unavailable
              ? unavailable.getMessage()
              : "the readings could not be stored; retry");
    } catch (TimeoutException e) {
      throw unavailable(
          "the readings were not confirmed stored within "
              + limits.durableTimeout().toSeconds()
              + " s; retry (a retry of stored readings is not stored twice)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while storing the readings; retry");
    }
  }

  /** The longest source a reading can be stored with (the store's device id column). */
  static final int MAX_SOURCE_LENGTH = 64;

  /** Who enters the readings: a nurse or clinician, by their user name. */
  private static String enteringPerson() {
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    Optional<Role> role = PatientAccess.roleOf(caller);
    if (role.isEmpty() || (role.get() != Role.NURSE && role.get() != Role.CLINICIAN)) {
      throw new ForbiddenOperationException(
          "Observations are entered by the nurses and clinicians who took them; "
              + (role.isEmpty() ? "a system" : "a " + role.get().label())
              + " cannot create them (devices send readings through the ingest API)");
    }
    if (Measurement.MANUAL_ENTRY_PREFIX.length() + caller.getName().length() > MAX_SOURCE_LENGTH) {
      // it would fail in the store writer, and every retry with it
      throw new ForbiddenOperationException(
          "user names longer than "
              + (MAX_SOURCE_LENGTH - Measurement.MANUAL_ENTRY_PREFIX.length())
              + " characters cannot be recorded as the source of a reading");
    }
    return caller.getName();
  }

  private static PatientAccess.Scope scopeOf(RequestDetails request) {
    if (request.getUserData().get(PatientCompartmentRules.SCOPE) instanceof PatientAccess.Scope s) {
      return s;
    }
    throw new ForbiddenOperationException("no patient scope established for this request");
  }

  private static MessageProblem inFhirTerms(MessageProblem problem) {
    for (var field : FHIR_FIELDS.entrySet()) {
      if (problem.location().endsWith(field.getKey())) {
        String at = problem.location();
        return new MessageProblem(
            at.substring(0, at.length() - field.getKey().length()) + field.getValue(),
            problem.message());
      }
    }
    return problem;
  }

  private UnprocessableEntityException invalid(List<MessageProblem> problems) {
    OperationOutcome outcome =
        outcomes.outcome(
            problems.stream()
                .map(
                    p -> new OperationOutcomes.Issue(IssueType.INVALID, p.describe(), p.location()))
                .toList());
    return new UnprocessableEntityException(
        problems.stream()
            .map(MessageProblem::describe)
            .reduce((a, b) -> a + "; " + b)
            .orElse("invalid"),
        outcome);
  }

  private BaseServerResponseException unavailable(String message) {
    OperationOutcome outcome =
        outcomes.outcome(List.of(OperationOutcomes.Issue.of(IssueType.TRANSIENT, message)));
    BaseServerResponseException answer =
        new UnclassifiedServerFailureException(503, message, outcome);
    answer.addResponseHeader("Retry-After", "1");
    return answer;
  }
}
