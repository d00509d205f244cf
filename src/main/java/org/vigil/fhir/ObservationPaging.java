package org.vigil.fhir;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import java.util.Set;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;

/**
 * Paging for the FHIR server. Observation searches and patients' {@code $everything}, which can run
 * to hundreds of thousands of readings, page with self-contained page ids that any node can serve;
 * the short result lists of other resources (patients, devices, audit events) are kept in memory
 * between pages as before.
 */
final class ObservationPaging extends FifoMemoryPagingProvider {

  private final MeasurementStore store;
  private final ObservationMapper mapper;
  private final ObservationIncludes includes;
  private final PatientEverything everything;

  ObservationPaging(
      MeasurementStore store,
      ObservationMapper mapper,
      ObservationIncludes includes,
      PatientEverything everything) {
    super(1000);
    this.store = store;
    this.mapper = mapper;
    this.includes = includes;
    this.everything = everything;
    setDefaultPageSize(ObservationProvider.DEFAULT_PAGE);
    setMaximumPageSize(ObservationProvider.MAX_PAGE);
  }

  @Override
  public synchronized String storeResultList(RequestDetails request, IBundleProvider list) {
    if (list instanceof MeasurementBundle
        || list instanceof BloodPressurePanels
        || list instanceof PatientEverything.Paged) {
      return list.getUuid();
    }
    return super.storeResultList(request, list);
  }

  @Override
  public IBundleProvider retrieveResultList(
      RequestDetails request, String searchId, String pageId) {
    if (EverythingPageToken.isEverythingPage(pageId)) {
      PatientEverything.Request asked = EverythingPageToken.decode(pageId);
      // the scopes of the caller, who need not be the one who asked for the first page
      PatientProvider.everythingTypes(
          asked.types().stream().map(org.hl7.fhir.r4.model.StringType::new).toList());
      return everything.page(asked);
    }
    if (ObservationPageToken.isObservationPage(pageId)) {
      String[] include = request.getParameters().get(Constants.PARAM_INCLUDE);
      MeasurementQuery query = ObservationPageToken.decode(pageId);
      Set<String> asked = include == null ? Set.of() : Set.of(include);
      return BloodPressurePanels.isPanelQuery(query)
          ? new BloodPressurePanels(store, mapper, query, includes, asked)
          : new MeasurementBundle(store, mapper, query, includes, asked);
    }
    return null;
  }
}
