package org.vigil.fhir;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.vigil.api.OperationOutcomes;
import org.vigil.medication.DoseSchedule;
import org.vigil.medication.MedicationSchedules;
import org.vigil.medication.MedicationSettings;
import org.vigil.patient.PatientRepository;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;

/**
 * A patient's medicines at home, as MedicationRequests (see {@link MedicationResources} for what is
 * read and written): read, search by {@code patient} or {@code subject} and {@code status}; created
 * and updated (a change of times, a stop: {@code status} {@code stopped}) by the nurses and
 * clinicians who may see the patient, the requester being themselves. Patients and systems read
 * them, as their scopes and compartment allow; they do not prescribe.
 */
@Component
class MedicationRequestProvider implements IResourceProvider {

  private final MedicationSchedules schedules;
  private final PatientRepository patients;
  private final OperationOutcomes outcomes;
  private final MedicationSettings settings;
  private final Clock clock = Clock.systemUTC();

  MedicationRequestProvider(
      MedicationSchedules schedules,
      PatientRepository patients,
      OperationOutcomes outcomes,
      MedicationSettings settings) {
    this.schedules = schedules;
    this.patients = patients;
    this.outcomes = outcomes;
    this.settings = settings;
  }

  @Override
  public Class<MedicationRequest> getResourceType() {
    return MedicationRequest.class;
  }

  @Read
  public MedicationRequest read(@IdParam IdType id) {
    return schedules
        .find(id.getIdPart())
        .map(MedicationResources::toFhir)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<MedicationRequest> search(
      @Description(shortDefinition = "The patient the medicine is for")
          @OptionalParam(name = MedicationRequest.SP_PATIENT)
          ReferenceParam patient,
      @Description(shortDefinition = "The patient the medicine is for")
          @OptionalParam(name = MedicationRequest.SP_SUBJECT)
          ReferenceParam subject,
      @Description(shortDefinition = "active, on-hold, stopped, completed, cancelled, …")
          @OptionalParam(name = MedicationRequest.SP_STATUS)
          TokenParam status,
      RequestDetails request) {
    Optional<String> wanted = patientNamed(patient, subject);
    Optional<String> state = Optional.ofNullable(status).map(TokenParam::getValue);
    if (state.isPresent() && !DoseSchedule.STATUSES.contains(state.get())) {
      throw new InvalidRequestException(
          "status is a MedicationRequest status (active, stopped, …), not " + state.get());
    }
    List<DoseSchedule> found;
    if (wanted.isPresent()) {
      found = schedules.ofPatient(wanted.get());
    } else {
      PatientAccess.Scope scope =
          (PatientAccess.Scope) request.getUserData().get(PatientCompartmentRules.SCOPE);
      found =
          scope == null || scope.allPatients()
              ? schedules.active()
              : scope.patients().stream().flatMap(p -> schedules.ofPatient(p).stream()).toList();
      if (scope != null
          && scope.allPatients()
          && state.map(s -> !s.equals("active")).orElse(false)) {
        throw new InvalidRequestException("medicines not active are searched per patient");
      }
    }
    return found.stream()
        .filter(s -> state.isEmpty() || s.status().equals(state.get()))
        .map(MedicationResources::toFhir)
        .toList();
  }

  static Optional<String> patientNamed(ReferenceParam patient, ReferenceParam subject) {
    if (patient != null && subject != null) {
      throw new InvalidRequestException("give either patient or subject, not both");
    }
    ReferenceParam named = patient != null ? patient : subject;
    if (named == null) {
      return Optional.empty();
    }
    if (named.getChain() != null) {
      throw new InvalidRequestException("chained search is not supported");
    }
    if (named.getResourceType() != null && !"Patient".equals(named.getResourceType())) {
      throw new InvalidRequestException("the subject must be a Patient");
    }
    return Optional.of(named.getIdPart());
  }

  @Create
  public MethodOutcome create(@ResourceParam MedicationRequest resource, RequestDetails request) {
    String prescriber = prescriber(request, resource);
    DoseSchedule schedule = read(resource, MedicationSchedules.newId(), prescriber);
    DoseSchedule stored = schedules.create(schedule);
    MethodOutcome outcome = new MethodOutcome(new IdType("MedicationRequest", stored.id(), "1"));
    outcome.setCreated(true);
    outcome.setResource(MedicationResources.toFhir(stored));
    return outcome;
  }

  @Update
  public MethodOutcome update(
      @IdParam IdType id, @ResourceParam MedicationRequest resource, RequestDetails request) {
    if (resource.hasIdElement()
        && resource.getIdElement().hasIdPart()
        && !resource.getIdElement().getIdPart().equals(id.getIdPart())) {
      throw new InvalidRequestException("the body's id must be the URL's");
    }
    DoseSchedule current =
        schedules.find(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    String prescriber = prescriber(request, resource);
    PatientAccess.Scope scope = scopeOf(request);
    if (!scope.mayAccess(current.patientId())) {
      throw new ForbiddenOperationException(
          "no access to the medicines of Patient/" + current.patientId());
    }
    DoseSchedule changed = read(resource, current.id(), prescriber);
    if (!changed.patientId().equals(current.patientId())) {
      throw unprocessable(
          List.of(
              new OperationOutcomes.Issue(
                  IssueType.INVARIANT,
                  "subject: a medicine stays the patient's it was prescribed for; stop it and"
                      + " prescribe anew",
                  "MedicationRequest.subject")));
    }
    DoseSchedule stored =
        schedules.update(changed).orElseThrow(() -> new ResourceNotFoundException(id));
    MethodOutcome outcome =
        new MethodOutcome(
            new IdType("MedicationRequest", stored.id(), Integer.toString(stored.version())));
    outcome.setResource(MedicationResources.toFhir(stored));
    return outcome;
  }

  private DoseSchedule read(MedicationRequest resource, String id, String prescriber) {
    List<OperationOutcomes.Issue> problems = new ArrayList<>();
    Optional<DoseSchedule> schedule =
        MedicationResources.fromFhir(
            resource,
            id,
            prescriber,
            clock.instant(),
            patient -> settings.of(patient).timeZone(),
            problems);
    if (schedule.isEmpty()) {
      throw unprocessable(problems);
    }
    if (patients.find(schedule.get().patientId()).isEmpty()) {
      throw unprocessable(
          List.of(
              new OperationOutcomes.Issue(
                  IssueType.NOTFOUND,
                  "subject: no Patient/" + schedule.get().patientId(),
                  "MedicationRequest.subject")));
    }
    return schedule.get();
  }

  /**
   * The nurse or clinician prescribing, who must be allowed to see the patient named; anyone else
   * is refused.
   */
  private String prescriber(RequestDetails request, MedicationRequest resource) {
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    Optional<Role> role = PatientAccess.roleOf(caller);
    if (role.isEmpty() || (role.get() != Role.NURSE && role.get() != Role.CLINICIAN)) {
      throw new ForbiddenOperationException(
          "MedicationRequests are written by the nurses and clinicians looking after the patient;"
              + (role.isEmpty() ? " a system" : " a " + role.get().label())
              + " cannot write them");
    }
    MedicationResources.patientOf(resource)
        .filter(patient -> !scopeOf(request).mayAccess(patient))
        .ifPresent(patient -> {
          throw new ForbiddenOperationException("no access to prescribe for Patient/" + patient);
        });
    return "Practitioner/" + caller.getName();
  }

  private static PatientAccess.Scope scopeOf(RequestDetails request) {
    return (PatientAccess.Scope) request.getUserData().get(PatientCompartmentRules.SCOPE);
  }

  private UnprocessableEntityException unprocessable(List<OperationOutcomes.Issue> problems) {
    return new UnprocessableEntityException(
        problems.stream()
            .map(OperationOutcomes.Issue::diagnostics)
            .collect(java.util.stream.Collectors.joining("; ")),
        outcomes.outcome(problems));
  }
}
