package org.vigil.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;

/** A search result that fetches one page of readings at a time from the store. */
final class MeasurementBundle implements IBundleProvider {

  private final MeasurementStore store;
  private final ObservationMapper mapper;
  private final MeasurementQuery query;
  private final Integer pageSize;
  private final InstantType published = InstantType.withCurrentTime();
  private Integer size;

  MeasurementBundle(
      MeasurementStore store, ObservationMapper mapper, MeasurementQuery query, Integer pageSize) {
    this.store = store;
    this.mapper = mapper;
    this.query = query;
    this.pageSize = pageSize;
  }

  @Override
  public IPrimitiveType<Date> getPublished() {
    return published;
  }

  @Override
  public List<IBaseResource> getResources(int fromIndex, int toIndex) {
    return store.search(query.page(fromIndex, Math.max(0, toIndex - fromIndex))).stream()
        .<IBaseResource>map(mapper::toObservation)
        .toList();
  }

  @Override
  public String getUuid() {
    return null;
  }

  @Override
  public Integer preferredPageSize() {
    return pageSize;
  }

  @Override
  public synchronized Integer size() {
    if (size == null) {
      size = Math.toIntExact(Math.min(Integer.MAX_VALUE, store.count(query)));
    }
    return size;
  }
}
