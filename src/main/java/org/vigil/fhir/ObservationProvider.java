package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.springframework.stereotype.Component;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;

/** Observations: every stored reading, read by id or searched per patient. */
@Component
class ObservationProvider implements IResourceProvider {

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final MeasurementStore store;
  private final ObservationMapper mapper;

  ObservationProvider(MeasurementStore store, ObservationMapper mapper) {
    this.store = store;
    this.mapper = mapper;
  }

  @Override
  public Class<Observation> getResourceType() {
    return Observation.class;
  }

  @Read
  public Observation read(@IdParam IdType id) {
    if (!id.isIdPartValidLong()) {
      throw new ResourceNotFoundException(id);
    }
    return store
        .find(id.getIdPartAsLong())
        .map(mapper::toObservation)
        .orElseThrow(() -> new ResourceNotFoundException(id));
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
      @Sort SortSpec sort,
      @Count Integer count) {
    String patientId = patientOf(patient, subject);
    MeasurementQuery query =
        MeasurementQuery.forPatient(patientId)
            .withCodes(codes(code))
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
    int pageSize = count == null ? DEFAULT_PAGE : Math.max(0, Math.min(count, MAX_PAGE));
    return new MeasurementBundle(store, mapper, query.firstPage(pageSize));
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
