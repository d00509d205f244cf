package org.vigil.fhir;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Since;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Period;
import org.springframework.stereotype.Component;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementType;
import org.vigil.security.PatientAccess;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;

/**
 * Observations: every stored reading, read by id (or as its only version, with its one-version
 * history) or searched per patient; and readings people enter, created here.
 */
@Component
class ObservationProvider implements IResourceProvider {

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;
  static final int MAX_LASTN = 100;

  private final MeasurementStore store;
  private final ObservationMapper mapper;
  private final ObservationStatistics statistics;
  private final MeasurementCatalog catalog;
  private final ObservationIncludes includes;
  private final News2Observations news2;
  private final ManualEntries manualEntries;
  private final ObservationIdentifiers identifiers;

  ObservationProvider(
      MeasurementStore store,
      ObservationMapper mapper,
      MeasurementCatalog catalog,
      ObservationIncludes includes,
      News2Observations news2,
      ManualEntries manualEntries,
      ObservationIdentifiers identifiers) {
    this.identifiers = identifiers;
    this.news2 = news2;
    this.store = store;
    this.mapper = mapper;
    this.includes = includes;
    this.manualEntries = manualEntries;
    this.catalog = catalog;
    this.statistics = new ObservationStatistics(catalog);
  }

  @Override
  public Class<Observation> getResourceType() {
    return Observation.class;
  }

  /**
   * An Observation by id, or one version of it: each has only version {@code 1} (see {@link
   * ObservationMapper#VERSION}), any other is not found.
   */
  @Read(version = true)
  public Observation read(@IdParam IdType id) {
    if (id.hasVersionIdPart() && !ObservationMapper.VERSION.equals(id.getVersionIdPart())) {
      throw new ResourceNotFoundException(
          id.getResourceType()
              + "/"
              + id.getIdPart()
              + " has no version "
              + id.getVersionIdPart()
              + ": an Observation is never changed, its only version is "
              + ObservationMapper.VERSION);
    }
    return current(id);
  }

  /**
   * An Observation's history: its one version, created when it was stored ({@code _since} after
   * that leaves none).
   */
  @History
  public List<Observation> history(@IdParam IdType id, @Since DateTimeType since) {
    Observation observation = current(id.toVersionless());
    Date stored = observation.getMeta().getLastUpdated();
    if (since != null
        && since.getValue() != null
        && stored != null
        && stored.before(since.getValue())) {
      return List.of();
    }
    // the version in the id makes the history entry say how it came to be (201 Created)
    observation.setIdElement(
        new IdType("Observation", observation.getIdPart(), ObservationMapper.VERSION));
    return List.of(observation);
  }

  private Observation current(IdType id) {
    if (News2Observations.isNews2Id(id.getIdPart())) {
      return news2.read(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    }
    if (id.getIdPart() != null && id.getIdPart().startsWith(BloodPressurePanels.ID_PREFIX)) {
      return BloodPressurePanels.read(id.getIdPart(), store, mapper)
          .orElseThrow(() -> new ResourceNotFoundException(id));
    }
    if (!id.isIdPartValidLong()) {
      throw new ResourceNotFoundException(id);
    }
    return store
        .find(id.getIdPartAsLong())
        .map(mapper::toObservation)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  /**
   * A reading a nurse or clinician entered, stored like a device's: answered with 201 and the
   * stored Observation only once it is durable.
   */
  @Create
  public MethodOutcome create(
      @ResourceParam Observation observation,
      @ConditionalUrlParam String conditionalUrl,
      RequestDetails request) {
    if (conditionalUrl == null) {
      return created(store(observation, request), true);
    }
    // conditionally (If-None-Exist: identifier=…): the patient's Observation with one of them, 200
    List<ObservationIdentifiers.Identifier> criteria =
        ObservationIdentifiers.criteria(conditionalUrl);
    String patientId =
        ManualObservationReader.patientOf(observation)
            .orElseThrow(() ->
                new InvalidRequestException(
                    "Observation.subject: a conditional create names the patient (Patient/…),"
                        + " among whose Observations the identifier is looked for"));
    manualEntries.checkMayEnter(patientId, request);
    Optional<String> existing = identifiers.existing(patientId, criteria);
    if (existing.isPresent()) {
      return created(current(new IdType("Observation", existing.get())), false);
    }
    identifiers.claim(patientId, criteria);
    Observation stored;
    try {
      stored = store(observation, request);
    } catch (RuntimeException e) {
      identifiers.release(patientId, criteria);
      throw e;
    }
    identifiers.stored(patientId, criteria, stored.getIdPart());
    return created(stored, true);
  }

  private Observation store(Observation observation, RequestDetails request) {
    return manualEntries
        .store(List.of(new ManualEntries.Entry(observation, "Observation")), request)
        .getFirst();
  }

  private static MethodOutcome created(Observation stored, boolean created) {
    MethodOutcome outcome =
        new MethodOutcome(new IdType("Observation", stored.getIdPart()), created);
    outcome.setResource(stored);
    return outcome;
  }

  /**
   * One patient's Observations, newest first unless {@code _sort=date}. A patient (or subject) is
   * required: searches across all patients are what Bulk Data export is for.
   */
  @Search
  public IBundleProvider search(
      @OptionalParam(name = Observation.SP_PATIENT) ReferenceParam patient,
      @OptionalParam(name = Observation.SP_SUBJECT) ReferenceParam subject,
      @OptionalParam(name = Observation.SP_CODE) TokenOrListParam code,
      @OptionalParam(name = Observation.SP_DATE) DateRangeParam date,
      @OptionalParam(name = Observation.SP_DEVICE) ReferenceOrListParam device,
      @OptionalParam(name = Observation.SP_CATEGORY) TokenOrListParam category,
      @OptionalParam(name = Constants.PARAM_LASTUPDATED) DateRangeParam lastUpdated,
      @IncludeParam(
              allow = {
                ObservationIncludes.PATIENT,
                ObservationIncludes.SUBJECT,
                ObservationIncludes.DEVICE
              })
          Set<Include> include,
      @Sort SortSpec sort,
      @Count Integer count) {
    String patientId = patientOf(patient, subject);
    if (code != null && News2Observations.asksForNews2(tokens(code))) {
      return news2.search(patientId, code, date, newestFirst(sort), pageSize(count));
    }
    Set<String> codes = codes(code);
    boolean panels = codes.contains(BloodPressurePanels.CODE);
    if (panels && codes.size() > 1) {
      throw new InvalidRequestException(
          "search blood pressure panels (" + BloodPressurePanels.CODE + ") on their own");
    }
    if (panels) {
      if (category != null && !categories(category).contains(MeasurementType.VITAL_SIGNS)) {
        return new SimpleBundleProvider();
      }
    } else if (category != null) {
      Set<String> inCategories = new HashSet<>();
      categories(category).forEach(c -> inCategories.addAll(catalog.codesIn(c)));
      if (code == null) {
        codes = inCategories;
      } else {
        codes.retainAll(inCategories);
      }
      if (codes.isEmpty()) {
        return new SimpleBundleProvider();
      }
    }
    MeasurementQuery query =
        MeasurementQuery.forPatient(patientId)
            .withCodes(codes)
            .fromDevices(devices(device))
            .storedBetween(
                Optional.ofNullable(lastUpdated)
                    .map(DateRangeParam::getLowerBoundAsInstant)
                    .map(d -> d.toInstant()),
                Optional.ofNullable(lastUpdated)
                    .map(DateRangeParam::getUpperBoundAsInstant)
                    .map(d -> d.toInstant()))
            .between(
                Optional.ofNullable(date)
                    .map(DateRangeParam::getLowerBoundAsInstant)
                    .map(d -> d.toInstant()),
                Optional.ofNullable(date)
                    .map(DateRangeParam::getUpperBoundAsInstant)
                    .map(d -> d.toInstant()))
            .ordered(newestFirst(sort));
    if (code != null && query.codes().isEmpty()) {
      return new SimpleBundleProvider();
    }
    if (device != null && query.devices().isEmpty()) {
      return new SimpleBundleProvider();
    }
    int pageSize = pageSize(count);
    if (panels) {
      return new BloodPressurePanels(
          store, mapper, query.firstPage(pageSize), includes, ObservationIncludes.of(include));
    }
    return new MeasurementBundle(
        store, mapper, query.firstPage(pageSize), includes, ObservationIncludes.of(include));
  }

  /**
   * {@code Observation/$lastn}: the latest {@code max} Observations (default 1) of each code for
   * each patient — the numbers a ward dashboard shows. Patients are named with {@code patient} or
   * {@code subject} (several, comma-separated); a clinician or patient who names none gets every
   * patient they may see.
   */
  @Operation(name = "$lastn", idempotent = true, bundleType = BundleTypeEnum.SEARCHSET)
  public IBundleProvider lastN(
      @OperationParam(name = Observation.SP_PATIENT) ReferenceOrListParam patient,
      @OperationParam(name = Observation.SP_SUBJECT) ReferenceOrListParam subject,
      @OperationParam(name = Observation.SP_CODE) TokenOrListParam code,
      @OperationParam(name = Observation.SP_CATEGORY) TokenOrListParam category,
      @OperationParam(name = "max") IntegerType max,
      RequestDetails request) {
    int perCode = max == null || max.getValue() == null ? 1 : max.getValue();
    if (perCode < 1 || perCode > MAX_LASTN) {
      throw new InvalidRequestException("max must be between 1 and " + MAX_LASTN);
    }
    Set<String> patients = patientsOf(patient, subject, request);
    Set<String> codes = codes(code);
    boolean withNews2 = code != null && News2Observations.asksForNews2(tokens(code));
    if (code != null && codes.isEmpty() && !withNews2) {
      return new SimpleBundleProvider();
    }
    Set<String> categories = categories(category);
    List<IBaseResource> latest = new ArrayList<>();
    if (code == null || !codes.isEmpty()) {
      store.latest(patients, codes, perCode).stream()
          .map(mapper::toObservation)
          .filter(o -> categories.isEmpty() || hasCategory(o, categories))
          .forEach(latest::add);
    }
    if (withNews2) {
      latest.addAll(news2.latest(patients, perCode));
    }
    SimpleBundleProvider bundle = new SimpleBundleProvider(latest);
    bundle.setPreferredPageSize(Math.max(1, latest.size()));
    return bundle;
  }

  /**
   * {@code Observation/$stats}: count, minimum, maximum, mean and median of one patient's readings
   * of the codes asked for, over the last {@code duration} hours or the {@code period} given.
   */
  @Operation(name = "$stats", idempotent = true)
  public Parameters stats(
      @OperationParam(name = Observation.SP_PATIENT) ReferenceParam patient,
      @OperationParam(name = Observation.SP_SUBJECT) ReferenceParam subject,
      @OperationParam(name = Observation.SP_CODE) TokenOrListParam code,
      @OperationParam(name = "duration") DecimalType duration,
      @OperationParam(name = "period") Period period,
      @OperationParam(name = "statistic", min = 1) List<CodeType> statistic,
      RequestDetails request) {
    String patientId = patientOf(patient, subject);
    requireAccess(request, Set.of(patientId));
    Set<String> codes = codes(code);
    if (codes.isEmpty()) {
      throw new InvalidRequestException("$stats needs at least one LOINC code");
    }
    List<String> asked = new ArrayList<>();
    for (CodeType one : statistic == null ? List.<CodeType>of() : statistic) {
      for (String name : one.getValue() == null ? new String[0] : one.getValue().split(",")) {
        if (!ObservationStatistics.SUPPORTED.contains(name.trim())) {
          throw new InvalidRequestException(
              "statistic '"
                  + name.trim()
                  + "' is not one Vigil computes; ask for "
                  + String.join(", ", ObservationStatistics.SUPPORTED.stream().sorted().toList()));
        }
        asked.add(name.trim());
      }
    }
    if (asked.isEmpty()) {
      throw new InvalidRequestException("name at least one statistic");
    }
    Period over = over(duration, period);
    Parameters answer = new Parameters();
    store
        .statistics(
            patientId,
            codes,
            Optional.ofNullable(over.getStart()).map(Date::toInstant),
            Optional.ofNullable(over.getEnd()).map(Date::toInstant))
        .forEach(s ->
            answer
                .addParameter()
                .setName("statistics")
                .setResource(statistics.toObservation(s, asked, over)));
    return answer;
  }

  /** The period asked about: the last {@code duration} hours, or a period, not both. */
  private static Period over(DecimalType duration, Period period) {
    if (duration != null && period != null) {
      throw new InvalidRequestException("give either duration or period, not both");
    }
    if (period != null) {
      return period;
    }
    if (duration == null || duration.getValue() == null || duration.getValue().signum() <= 0) {
      throw new InvalidRequestException("give a duration in hours (e.g. duration=24) or a period");
    }
    Instant end = Instant.now();
    long millis = duration.getValue().multiply(BigDecimal.valueOf(3_600_000)).longValue();
    return new Period().setStart(Date.from(end.minusMillis(millis))).setEnd(Date.from(end));
  }

  /** The patients a $lastn names, or for a person who names none, all those they may see. */
  private static Set<String> patientsOf(
      ReferenceOrListParam patient, ReferenceOrListParam subject, RequestDetails request) {
    if (patient != null && subject != null) {
      throw new InvalidRequestException("give either patient or subject, not both");
    }
    ReferenceOrListParam named = patient != null ? patient : subject;
    Set<String> ids = new LinkedHashSet<>();
    if (named != null) {
      for (ReferenceParam reference : named.getValuesAsQueryTokens()) {
        if (reference.getResourceType() != null && !"Patient".equals(reference.getResourceType())) {
          throw new InvalidRequestException("the subject must be a Patient");
        }
        ids.add(reference.getIdPart());
      }
      requireAccess(request, ids);
      return ids;
    }
    PatientAccess.Scope scope = scopeOf(request);
    if (scope.allPatients()) {
      throw new InvalidRequestException(
          "name the patients (patient=…, comma-separated); use $export for all patients");
    }
    return scope.patients();
  }

  private static void requireAccess(RequestDetails request, Set<String> patients) {
    PatientAccess.Scope scope = scopeOf(request);
    for (String id : patients) {
      if (!scope.mayAccess(id)) {
        throw new ForbiddenOperationException("no access to the data of Patient/" + id);
      }
    }
  }

  private static PatientAccess.Scope scopeOf(RequestDetails request) {
    if (request.getUserData().get(PatientCompartmentRules.SCOPE) instanceof PatientAccess.Scope s) {
      return s;
    }
    throw new ForbiddenOperationException("no patient scope established for this request");
  }

  /** Device ids asked for; a reference to anything but a Device cannot match. */
  private static Set<String> devices(ReferenceOrListParam device) {
    Set<String> ids = new HashSet<>();
    if (device != null) {
      for (ReferenceParam reference : device.getValuesAsQueryTokens()) {
        if (reference.getResourceType() == null || "Device".equals(reference.getResourceType())) {
          ids.add(reference.getIdPart());
        }
      }
    }
    return ids;
  }

  private static Set<String> categories(TokenOrListParam category) {
    Set<String> categories = new HashSet<>();
    if (category != null) {
      category.getValuesAsQueryTokens().forEach(t -> categories.add(t.getValue()));
    }
    return categories;
  }

  private static boolean hasCategory(Observation observation, Set<String> categories) {
    return observation.getCategory().stream()
        .flatMap(c -> c.getCoding().stream())
        .anyMatch(c -> categories.contains(c.getCode()));
  }

  private static String patientOf(ReferenceParam patient, ReferenceParam subject) {
    if (patient != null && subject != null) {
      throw new InvalidRequestException("give either patient or subject, not both");
    }
    ReferenceParam reference = patient != null ? patient : subject;
    if (reference == null) {
      throw new InvalidRequestException(
          "Observation searches need a patient (or subject) parameter; use $export for all"
              + " patients");
    }
    if (reference.getResourceType() != null && !"Patient".equals(reference.getResourceType())) {
      throw new InvalidRequestException("the subject must be a Patient");
    }
    return reference.getIdPart();
  }

  private static int pageSize(Integer count) {
    return count == null ? DEFAULT_PAGE : Math.max(0, Math.min(count, MAX_PAGE));
  }

  private static List<org.hl7.fhir.r4.model.Coding> tokens(TokenOrListParam code) {
    return code.getValuesAsQueryTokens().stream()
        .map(t -> new org.hl7.fhir.r4.model.Coding(t.getSystem(), t.getValue(), null))
        .toList();
  }

  /** LOINC codes asked for; codes of other systems cannot match a stored reading. */
  private static Set<String> codes(TokenOrListParam code) {
    Set<String> codes = new HashSet<>();
    if (code != null) {
      for (TokenParam token : code.getValuesAsQueryTokens()) {
        if (token.getSystem() == null || ObservationMapper.LOINC.equals(token.getSystem())) {
          codes.add(token.getValue());
        }
      }
    }
    return codes;
  }

  private static boolean newestFirst(SortSpec sort) {
    if (sort == null) {
      return true;
    }
    if (!Observation.SP_DATE.equals(sort.getParamName()) || sort.getChain() != null) {
      throw new InvalidRequestException("Observations can be sorted by date or -date only");
    }
    return sort.getOrder() == SortOrderEnum.DESC;
  }
}
