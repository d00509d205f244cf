package org.vigil.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.vigil.measurement.Measurement;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;

/**
 * One page of an Observation search, fetched from the store when HAPI asks for it. HAPI links the
 * next page with {@code _getpages} and a {@code _pageId} that carries the search and where this
 * page ended ({@link ObservationPageToken}), so paging is stable while readings arrive and costs
 * the same on the hundredth page as on the first.
 */
final class MeasurementBundle implements IBundleProvider {

  private final MeasurementStore store;
  private final ObservationMapper mapper;
  private final MeasurementQuery query;
  private final ObservationIncludes resolver;
  private final Set<String> includes;
  private final String searchId = UUID.randomUUID().toString();
  private final InstantType published = InstantType.withCurrentTime();
  private Integer size;
  private String nextPageId;

  /**
   * The page {@code query} describes: its first page, or the one after its cursor; with the
   * patients and devices its Observations refer to if {@code includes} asks for them.
   */
  MeasurementBundle(
      MeasurementStore store,
      ObservationMapper mapper,
      MeasurementQuery query,
      ObservationIncludes resolver,
      Set<String> includes) {
    this.store = store;
    this.mapper = mapper;
    this.query = query;
    this.resolver = resolver;
    this.includes = Set.copyOf(includes);
  }

  @Override
  public IPrimitiveType<Date> getPublished() {
    return published;
  }

  /**
   * This page's Observations, whatever range HAPI asks for: a page is what the query says. One
   * reading more than the page is fetched to tell whether another page follows.
   */
  @Override
  public synchronized List<IBaseResource> getResources(int fromIndex, int toIndex) {
    int pageSize = query.limit();
    if (pageSize == 0) {
      return List.of();
    }
    List<Measurement> rows =
        store.search(
            query.after().isPresent()
                ? query.pageAfter(query.after().get(), pageSize + 1)
                : query.firstPage(pageSize + 1));
    if (rows.size() > pageSize) {
      rows = rows.subList(0, pageSize);
      Measurement last = rows.getLast();
      nextPageId =
          ObservationPageToken.encode(
              query, new MeasurementQuery.Cursor(last.effectiveAt(), last.id()));
    }
    List<Observation> page = rows.stream().map(mapper::toObservation).toList();
    List<IBaseResource> answer = new ArrayList<>(page.size());
    for (Observation observation : page) {
      ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(observation, BundleEntrySearchModeEnum.MATCH);
      answer.add(observation);
    }
    if (!includes.isEmpty()) {
      for (Resource included : resolver.resolve(page, includes)) {
        ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(included, BundleEntrySearchModeEnum.INCLUDE);
        answer.add(included);
      }
    }
    return answer;
  }

  @Override
  public String getUuid() {
    return searchId;
  }

  @Override
  public String getCurrentPageId() {
    return query.after().map(c -> "page").orElse("first");
  }

  @Override
  public synchronized String getNextPageId() {
    return nextPageId;
  }

  @Override
  public Integer preferredPageSize() {
    return query.limit();
  }

  /** The total matches, counted for the first page only: later pages skip the count. */
  @Override
  public synchronized Integer size() {
    if (query.after().isPresent()) {
      return null;
    }
    if (size == null) {
      MeasurementQuery all = query.firstPage(Integer.MAX_VALUE);
      size = Math.toIntExact(Math.min(Integer.MAX_VALUE, store.count(all)));
    }
    return size;
  }
}
