package org.vigil.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.vigil.api.OperationOutcomes;
import org.vigil.patient.PatientRepository;
import org.vigil.security.PatientAccess;
import org.vigil.security.ScopeAuthorization;

/**
 * Patients created and updated over FHIR — by the hospital's systems (an ADT feed, an EHR) and by
 * administrators — onto Vigil's patient record: the medical record number, the name, the birth date
 * and the gender. Vigil keeps nothing else of a Patient; a patient's ward and bed are not part of
 * the FHIR Patient Vigil serves ({@link PatientProvider#toFhir}), so an update keeps them.
 *
 * <p>Conditional create ({@code If-None-Exist}) and conditional update ({@code PUT
 * Patient?identifier=…}) find the patient by record number, as FHIR says: no match creates, one
 * match is the patient (returned, or updated), more than one is 412.
 */
@Component
class PatientWrites {

  /** Where the patients a create or update wrote are left for the audit interceptor. */
  static final String WRITTEN = PatientWrites.class.getName() + ".written";

  private static final int MAX_MRN = 64;

  private final PatientRepository patients;
  private final OperationOutcomes outcomes;

  PatientWrites(PatientRepository patients, OperationOutcomes outcomes) {
    this.patients = patients;
    this.outcomes = outcomes;
  }

  /** {@code POST Patient}, with {@code If-None-Exist} if {@code conditionalUrl} is not null. */
  MethodOutcome create(Patient resource, String conditionalUrl, RequestDetails request) {
    if (conditionalUrl != null) {
      Optional<MethodOutcome> found = existing(conditionalUrl, request);
      if (found.isPresent()) {
        return found.get();
      }
    }
    // the server assigns the id of what it creates; any in the body is ignored, as FHIR says
    org.vigil.patient.Patient patient =
        record(resource, UUID.randomUUID().toString(), Optional.empty());
    try {
      save(patient);
    } catch (ResourceVersionConflictException taken) {
      if (conditionalUrl != null) {
        // another request created the patient since this one looked: that one is the match
        Optional<MethodOutcome> found = existing(conditionalUrl, request);
        if (found.isPresent()) {
          return found.get();
        }
      }
      throw taken;
    }
    return written(patient, true, request);
  }

  /**
   * {@code PUT Patient/{id}}, or {@code PUT Patient?identifier=…} if {@code conditionalUrl} is not
   * null. A PUT to an id Vigil does not know creates the patient with that id (update as create).
   */
  MethodOutcome update(IdType id, Patient resource, String conditionalUrl, RequestDetails request) {
    String bodyId = resource.getIdElement().getIdPart();
    String target;
    if (conditionalUrl != null) {
      Set<String> found = matching(conditionalUrl);
      if (found.size() > 1) {
        throw multiple(conditionalUrl, found.size());
      }
      if (found.size() == 1) {
        target = found.iterator().next();
        if (bodyId != null && !bodyId.equals(target)) {
          throw invalidRequest(
              "the Patient's id '"
                  + bodyId
                  + "' is not that of the patient "
                  + conditionalUrl
                  + " matches",
              "Patient.id");
        }
      } else if (bodyId != null && patients.find(bodyId).isPresent()) {
        throw conflict(
            "no patient matches " + conditionalUrl + ", but Patient/" + bodyId + " exists",
            "Patient.id");
      } else {
        target = bodyId != null ? bodyId : UUID.randomUUID().toString();
      }
    } else {
      target = id.getIdPart();
      if (bodyId == null) {
        throw invalidRequest(
            "an update carries the Patient's id, " + target + ", in the resource", "Patient.id");
      }
      if (!bodyId.equals(target)) {
        throw invalidRequest(
            "the Patient's id '" + bodyId + "' is not that of the URL, '" + target + "'",
            "Patient.id");
      }
    }
    Optional<org.vigil.patient.Patient> before = patients.find(target);
    org.vigil.patient.Patient patient = record(resource, target, before);
    save(patient);
    return written(patient, before.isEmpty(), request);
  }

  /** The patient a conditional create matches, if one does; 412 if several do. */
  private Optional<MethodOutcome> existing(String conditionalUrl, RequestDetails request) {
    Set<String> found = matching(conditionalUrl);
    if (found.size() > 1) {
      throw multiple(conditionalUrl, found.size());
    }
    return found.stream()
        .findFirst()
        .flatMap(patients::find)
        .map(patient -> written(patient, false, request));
  }

  /**
   * The patients a conditional URL ({@code identifier=urn:vigil:mrn|X}, with or without {@code
   * Patient?}) matches: each {@code identifier} parameter must match (and), any of the
   * comma-separated values of one will do (or). Patients are matched by record number only.
   */
  Set<String> matching(String conditionalUrl) {
    int question = conditionalUrl.indexOf('?');
    if (question >= 0 && !conditionalUrl.substring(0, question).endsWith("Patient")) {
      throw invalidRequest(
          "a conditional create or update of a Patient matches Patients, not " + conditionalUrl,
          null);
    }
    Set<String> found = null;
    for (String pair : conditionalUrl.substring(question + 1).split("&")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      if (!name.equals(Patient.SP_IDENTIFIER)) {
        throw invalidRequest(
            "a conditional create or update finds patients by identifier"
                + " (identifier=urn:vigil:mrn|…), not by '"
                + name
                + "'",
            null);
      }
      Set<String> any = new LinkedHashSet<>();
      for (String token : value.split(",")) {
        byIdentifier(token).ifPresent(p -> any.add(p.id()));
      }
      if (found == null) {
        found = any;
      } else {
        found.retainAll(any);
      }
    }
    if (found == null) {
      throw invalidRequest(
          "a conditional create or update needs criteria: identifier=urn:vigil:mrn|…", null);
    }
    return found;
  }

  private Optional<org.vigil.patient.Patient> byIdentifier(String token) {
    int bar = token.indexOf('|');
    String system = bar < 0 ? "" : token.substring(0, bar);
    String value = bar < 0 ? token : token.substring(bar + 1);
    if (value.isBlank()) {
      throw invalidRequest("identifier '" + token + "' has no value", null);
    }
    if (!system.isEmpty() && !PatientProvider.MRN_SYSTEM.equals(system)) {
      // Vigil knows patients by their record number alone: no patient has another identifier
      return Optional.empty();
    }
    return patients.findByMrn(value);
  }

  /**
   * Vigil's record of a Patient, every problem of which is a 422 naming the element; its ward, bed
   * and when Vigil first knew them are kept from the record {@code before}, if there is one.
   */
  private org.vigil.patient.Patient record(
      Patient resource, String id, Optional<org.vigil.patient.Patient> before) {
    List<OperationOutcomes.Issue> problems = new ArrayList<>();
    String mrn = mrn(resource, problems);
    HumanName name =
        resource.getName().stream()
            .filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
            .findFirst()
            .orElse(resource.getNameFirstRep());
    String family = name.getFamily();
    if (family == null || family.isBlank()) {
      problems.add(
          new OperationOutcomes.Issue(
              IssueType.REQUIRED, "a patient needs a family name", "Patient.name.family"));
    }
    String given =
        name.getGiven().stream()
            .map(PrimitiveType::getValue)
            .filter(g -> g != null && !g.isBlank())
            .collect(Collectors.joining(" "));
    String gender = gender(resource, problems);
    Optional<LocalDate> birthDate = birthDate(resource, problems);
    if (!problems.isEmpty()) {
      throw new UnprocessableEntityException(
          problems.stream()
              .map(OperationOutcomes.Issue::diagnostics)
              .collect(Collectors.joining("; ")),
          outcomes.outcome(problems));
    }
    try {
      return new org.vigil.patient.Patient(
          id,
          mrn,
          family,
          given,
          birthDate,
          gender,
          before.flatMap(org.vigil.patient.Patient::ward),
          before.flatMap(org.vigil.patient.Patient::bed),
          before.map(org.vigil.patient.Patient::createdAt).orElseGet(Instant::now));
    } catch (IllegalArgumentException e) {
      throw invalidRequest(e.getMessage(), "Patient.id");
    }
  }

  private static String mrn(Patient resource, List<OperationOutcomes.Issue> problems) {
    List<Identifier> mrns =
        resource.getIdentifier().stream()
            .filter(i -> PatientProvider.MRN_SYSTEM.equals(i.getSystem()))
            .toList();
    if (mrns.size() > 1) {
      problems.add(
          new OperationOutcomes.Issue(
              IssueType.INVALID,
              "a patient has one medical record number (system "
                  + PatientProvider.MRN_SYSTEM
                  + "), this Patient has "
                  + mrns.size(),
              "Patient.identifier"));
      return null;
    }
    String mrn = mrns.isEmpty() ? null : mrns.getFirst().getValue();
    if (mrn == null || mrn.isBlank()) {
      problems.add(
          new OperationOutcomes.Issue(
              IssueType.REQUIRED,
              "a patient needs their medical record number: an identifier with system "
                  + PatientProvider.MRN_SYSTEM
                  + " and a value",
              "Patient.identifier"));
      return null;
    }
    if (mrn.length() > MAX_MRN) {
      problems.add(
          new OperationOutcomes.Issue(
              IssueType.INVALID,
              "a medical record number is at most " + MAX_MRN + " characters",
              "Patient.identifier.value"));
    }
    return mrn;
  }

  private static String gender(Patient resource, List<OperationOutcomes.Issue> problems) {
    if (!resource.hasGenderElement()) {
      return "unknown";
    }
    if (resource.getGender() == null
        || resource.getGender() == org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.NULL) {
      problems.add(
          new OperationOutcomes.Issue(
              IssueType.CODEINVALID,
              "gender is one of male, female, other or unknown, not '"
                  + resource.getGenderElement().getValueAsString()
                  + "'",
              "Patient.gender"));
      return null;
    }
    return resource.getGender().toCode();
  }

  private static Optional<LocalDate> birthDate(
      Patient resource, List<OperationOutcomes.Issue> problems) {
    if (!resource.hasBirthDateElement()) {
      return Optional.empty();
    }
    DateType birth = resource.getBirthDateElement();
    if (birth.getValue() == null || birth.getPrecision() != TemporalPrecisionEnum.DAY) {
      problems.add(
          new OperationOutcomes.Issue(
              IssueType.INVALID,
              "birthDate is a whole date (YYYY-MM-DD), not '" + birth.getValueAsString() + "'",
              "Patient.birthDate"));
      return Optional.empty();
    }
    LocalDate day = LocalDate.parse(birth.getValueAsString());
    // today somewhere on Earth: a baby born just after midnight east of here is not in the future
    if (day.isAfter(LocalDate.now(ZoneOffset.MAX))) {
      problems.add(
          new OperationOutcomes.Issue(
              IssueType.INVALID, "birthDate " + day + " is in the future", "Patient.birthDate"));
      return Optional.empty();
    }
    return Optional.of(day);
  }

  /** Saves, refusing with 409 a record number another patient has (their index is unique). */
  private void save(org.vigil.patient.Patient patient) {
    Optional<org.vigil.patient.Patient> holder = patients.findByMrn(patient.mrn());
    if (holder.isPresent() && !holder.get().id().equals(patient.id())) {
      throw mrnTaken();
    }
    try {
      patients.save(patient);
    } catch (DuplicateKeyException e) {
      throw mrnTaken();
    }
  }

  private ResourceVersionConflictException mrnTaken() {
    String problem =
        "another patient has this medical record number; to create a patient only if none has it,"
            + " send If-None-Exist: identifier="
            + PatientProvider.MRN_SYSTEM
            + "|…";
    return new ResourceVersionConflictException(
        problem,
        outcomes.outcome(
            List.of(
                new OperationOutcomes.Issue(
                    IssueType.DUPLICATE, problem, "Patient.identifier.value"))));
  }

  private ResourceVersionConflictException conflict(String problem, String expression) {
    return new ResourceVersionConflictException(
        problem,
        outcomes.outcome(
            List.of(new OperationOutcomes.Issue(IssueType.CONFLICT, problem, expression))));
  }

  private PreconditionFailedException multiple(String conditionalUrl, int count) {
    String problem =
        count + " patients match " + conditionalUrl + ": a conditional write needs at most one";
    return new PreconditionFailedException(
        problem,
        outcomes.outcome(
            List.of(new OperationOutcomes.Issue(IssueType.MULTIPLEMATCHES, problem, null))));
  }

  private InvalidRequestException invalidRequest(String problem, String expression) {
    return new InvalidRequestException(
        problem,
        outcomes.outcome(
            List.of(new OperationOutcomes.Issue(IssueType.INVALID, problem, expression))));
  }

  /**
   * The answer to a write: the patient, shown to a caller that may read patients — an administrator
   * registers patients but does not read their records, so a conditional create that finds one
   * tells them its id alone.
   */
  private MethodOutcome written(
      org.vigil.patient.Patient patient, boolean created, RequestDetails request) {
    request.getUserData().put(WRITTEN, patient.id());
    MethodOutcome outcome = new MethodOutcome(new IdType("Patient", patient.id()), created);
    if (mayRead(request)) {
      outcome.setResource(PatientProvider.toFhir(patient));
    }
    return outcome;
  }

  private static boolean mayRead(RequestDetails request) {
    return request.getUserData().get(PatientCompartmentRules.SCOPE)
            instanceof PatientAccess.Scope scope
        && scope.allPatients()
        && ScopeAuthorization.grantsOnFhir(
            SecurityContextHolder.getContext().getAuthentication(), "Patient", 'r');
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
