package org.vigil.fhir;

import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.sql.Date;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.vigil.patient.PatientRepository;
import org.vigil.security.PatientAccess;
import org.vigil.security.ScopeAuthorization;

/**
 * Patients: read by id, searched by identifier (MRN) or listed; created and updated, also
 * conditionally by identifier ({@link PatientWrites}); and each patient's whole record, {@code
 * $everything}.
 */
@Component
class PatientProvider implements IResourceProvider {

  /** The identifier system of hospital medical record numbers in Vigil's FHIR output. */
  static final String MRN_SYSTEM = "urn:vigil:mrn";

  private final PatientRepository patients;
  private final PatientEverything everything;
  private final PatientWrites writes;

  PatientProvider(PatientRepository patients, PatientEverything everything, PatientWrites writes) {
    this.patients = patients;
    this.everything = everything;
    this.writes = writes;
  }

  @Override
  public Class<Patient> getResourceType() {
    return Patient.class;
  }

  @Read
  public Patient read(@IdParam IdType id) {
    return patients
        .find(id.getIdPart())
        .map(PatientProvider::toFhir)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  /**
   * A new patient: 201 with it; with {@code If-None-Exist: identifier=urn:vigil:mrn|…}, 200 with
   * the patient who has that record number if there is one (412 if several match).
   */
  @Create
  public MethodOutcome create(
      @ResourceParam Patient patient,
      @ConditionalUrlParam String conditionalUrl,
      RequestDetails request) {
    return writes.create(patient, conditionalUrl, request);
  }

  /**
   * A patient's record number, name, birth date and gender replaced: {@code Patient/{id}}, or the
   * one patient {@code Patient?identifier=…} matches (created if none does, 412 if several do).
   */
  @Update
  public MethodOutcome update(
      @IdParam IdType id,
      @ResourceParam Patient patient,
      @ConditionalUrlParam String conditionalUrl,
      RequestDetails request) {
    return writes.update(id, patient, conditionalUrl, request);
  }

  /**
   * {@code Patient/{id}/$everything}: the patient's record ({@link PatientEverything}), of the
   * types asked for ({@code _type}) that the caller's scopes let it read, changed since {@code
   * _since}, {@code _count} resources a page. Whose record a caller may ask for is the compartment
   * rules' business, as for a read; each resource returned is checked by them too.
   */
  @Operation(name = "$everything", idempotent = true, bundleType = BundleTypeEnum.SEARCHSET)
  public IBundleProvider everything(
      @IdParam IdType id,
      @OperationParam(name = Constants.PARAM_SINCE) InstantType since,
      @OperationParam(name = Constants.PARAM_TYPE, max = OperationParam.MAX_UNLIMITED)
          List<StringType> type,
      @OperationParam(name = Constants.PARAM_COUNT) IntegerType count,
      RequestDetails request) {
    if (!(request.getUserData().get(PatientCompartmentRules.SCOPE)
            instanceof PatientAccess.Scope scope)
        || !scope.mayAccess(id.getIdPart())) {
      throw new ForbiddenOperationException("no access to the data of Patient/" + id.getIdPart());
    }
    if (patients.find(id.getIdPart()).isEmpty()) {
      throw new ResourceNotFoundException(id);
    }
    int pageSize =
        count == null || count.getValue() == null
            ? ObservationProvider.DEFAULT_PAGE
            : Math.max(0, Math.min(count.getValue(), ObservationProvider.MAX_PAGE));
    return everything.page(
        new PatientEverything.Request(
            id.getIdPart(),
            everythingTypes(type),
            Optional.ofNullable(since).map(s -> s.getValue().toInstant()),
            pageSize,
            Optional.empty()));
  }

  /**
   * The types of a patient's record asked for, or all; each must be one the caller may read — a
   * client allowed only Patients gets only the Patient.
   */
  static Set<String> everythingTypes(List<StringType> type) {
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    Set<String> asked = new LinkedHashSet<>();
    for (StringType one : type == null ? List.<StringType>of() : type) {
      for (String name : one.getValueNotNull().split(",")) {
        if (!name.isBlank()) {
          asked.add(name.trim());
        }
      }
    }
    if (asked.isEmpty()) {
      Set<String> readable = new LinkedHashSet<>();
      for (String one : PatientEverything.TYPES) {
        if (ScopeAuthorization.grantsOnFhir(caller, one, 'r')) {
          readable.add(one);
        }
      }
      return readable;
    }
    for (String name : asked) {
      if (!PatientEverything.TYPES.contains(name)) {
        throw new InvalidRequestException(
            "_type '"
                + name
                + "' is not in a patient's record; it holds "
                + String.join(", ", PatientEverything.TYPES));
      }
      if (!ScopeAuthorization.grantsOnFhir(caller, name, 'r')) {
        throw new ForbiddenOperationException(
            "the access token has no scope allowing reads of " + name);
      }
    }
    return asked;
  }

  @Search
  public IBundleProvider search(
      @OptionalParam(name = Patient.SP_IDENTIFIER) TokenParam identifier,
      @OptionalParam(name = Patient.SP_NAME) StringParam name,
      @OptionalParam(name = Patient.SP_BIRTHDATE) DateRangeParam birthdate) {
    if (name != null || birthdate != null) {
      return byNameOrBirthDate(identifier, name, birthdate);
    }
    if (identifier != null) {
      if (identifier.getSystem() != null && !MRN_SYSTEM.equals(identifier.getSystem())) {
        return new SimpleBundleProvider();
      }
      return new SimpleBundleProvider(
          patients.findByMrn(identifier.getValue()).map(PatientProvider::toFhir).stream()
              .map(IBaseResource.class::cast)
              .toList());
    }
    return new IBundleProvider() {
      private final InstantType published = InstantType.withCurrentTime();

      @Override
      public IPrimitiveType<java.util.Date> getPublished() {
        return published;
      }

      @Override
      public List<IBaseResource> getResources(int from, int to) {
        return patients.findAll(from, Math.max(0, to - from)).stream()
            .<IBaseResource>map(PatientProvider::toFhir)
            .toList();
      }

      @Override
      public String getUuid() {
        return null;
      }

      @Override
      public Integer preferredPageSize() {
        return null;
      }

      @Override
      public Integer size() {
        return Math.toIntExact(patients.count());
      }
    };
  }

  /**
   * Names and birth dates are stored encrypted, so a search by them reads every patient and
   * compares in memory — fine for a hospital's thousands, not for a region's millions (a blind
   * index, as for record numbers, would serve those). FHIR string search: a name matches if any of
   * its parts starts with the text, ignoring case and accents; {@code :exact} compares whole parts.
   */
  private IBundleProvider byNameOrBirthDate(
      TokenParam identifier, StringParam name, DateRangeParam birthdate) {
    List<IBaseResource> found = new ArrayList<>();
    int offset = 0;
    List<org.vigil.patient.Patient> page;
    while (!(page = patients.findAll(offset, 500)).isEmpty()) {
      for (org.vigil.patient.Patient p : page) {
        if ((identifier == null || identifies(identifier, p))
            && (name == null || nameMatches(p, name))
            && (birthdate == null || bornWithin(p, birthdate))) {
          found.add(toFhir(p));
        }
      }
      offset += page.size();
    }
    return new SimpleBundleProvider(found);
  }

  private static boolean identifies(TokenParam identifier, org.vigil.patient.Patient p) {
    return (identifier.getSystem() == null || MRN_SYSTEM.equals(identifier.getSystem()))
        && identifier.getValue().equals(p.mrn());
  }

  private static boolean nameMatches(org.vigil.patient.Patient p, StringParam name) {
    if (name.isExact()) {
      return name.getValue().equals(p.familyName()) || name.getValue().equals(p.givenName());
    }
    String text = folded(name.getValue());
    return folded(p.familyName()).startsWith(text)
        || folded(p.givenName()).startsWith(text)
        || folded(p.givenName() + " " + p.familyName()).startsWith(text);
  }

  /** Lower case without accents: "Müller" and "muller" are the same name to a search. */
  private static String folded(String text) {
    return Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT);
  }

  /** Birth dates are days: compare days, with the bounds' prefixes (gt, ge, lt, le, eq). */
  private static boolean bornWithin(org.vigil.patient.Patient p, DateRangeParam range) {
    if (p.birthDate().isEmpty()) {
      return false;
    }
    LocalDate born = p.birthDate().get();
    DateParam lower = range.getLowerBound();
    DateParam upper = range.getUpperBound();
    if (lower != null && !lower.isEmpty()) {
      LocalDate day = day(lower);
      boolean after =
          lower.getPrefix() == ParamPrefixEnum.GREATERTHAN
              ? born.isAfter(day)
              : !born.isBefore(day);
      if (!after) {
        return false;
      }
    }
    if (upper != null && !upper.isEmpty()) {
      LocalDate day = day(upper);
      return upper.getPrefix() == ParamPrefixEnum.LESSTHAN
          ? born.isBefore(day)
          : !born.isAfter(day);
    }
    return true;
  }

  private static LocalDate day(DateParam date) {
    String value = date.getValueAsString();
    return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
  }

  static Patient toFhir(org.vigil.patient.Patient p) {
    Patient patient = new Patient();
    patient.setId(p.id());
    patient.addIdentifier().setSystem(MRN_SYSTEM).setValue(p.mrn());
    patient.addName().setFamily(p.familyName()).addGiven(p.givenName());
    patient.setGender(gender(p.gender()));
    p.birthDate().ifPresent(d -> patient.setBirthDate(Date.valueOf(d)));
    return patient;
  }

  private static AdministrativeGender gender(String gender) {
    try {
      return AdministrativeGender.fromCode(gender);
    } catch (Exception e) {
      return AdministrativeGender.UNKNOWN;
    }
  }
}
