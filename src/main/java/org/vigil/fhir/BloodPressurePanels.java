package org.vigil.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;

/**
 * Blood pressure as the vital-signs panel (LOINC 85354-9, profile {@code bp}), a view made at read
 * time: a source's systolic and diastolic readings taken at the same moment are one panel. Nothing
 * is stored twice; the separate systolic and diastolic Observations remain, and each panel is
 * {@code derivedFrom} them. Pages follow the systolic series by cursor, as every Observation search
 * does; a systolic reading without its diastolic makes no panel, so a page may hold fewer panels
 * than asked for.
 */
final class BloodPressurePanels implements IBundleProvider {

  static final String CODE = "85354-9";
  static final String ID_PREFIX = "bp-";

  private final MeasurementStore store;
  private final ObservationMapper mapper;
  private final MeasurementQuery query;
  private final ObservationIncludes resolver;
  private final Set<String> includes;
  private final String searchId = UUID.randomUUID().toString();
  private final InstantType published = InstantType.withCurrentTime();
  private String nextPageId;

  /** The page {@code query} (its codes {@link #CODE} alone) describes. */
  BloodPressurePanels(
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

  /** Whether a search (or a page of one) is for panels. */
  static boolean isPanelQuery(MeasurementQuery query) {
    return query.codes().equals(Set.of(CODE));
  }

  /** A panel's id names the two readings it joins, so that it can be read back by id. */
  static String idOf(Measurement systolic, Measurement diastolic) {
    return ID_PREFIX + systolic.id() + "-" + diastolic.id();
  }

  /** The panel with this id, if both its readings exist and belong together. */
  static Optional<Observation> read(String id, MeasurementStore store, ObservationMapper mapper) {
    String[] parts = id.substring(ID_PREFIX.length()).split("-");
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      Optional<Measurement> systolic = store.find(Long.parseLong(parts[0]));
      Optional<Measurement> diastolic = store.find(Long.parseLong(parts[1]));
      if (systolic.isEmpty()
          || diastolic.isEmpty()
          || !systolic.get().code().equals(MeasurementCatalog.SYSTOLIC_BP)
          || !diastolic.get().code().equals(MeasurementCatalog.DIASTOLIC_BP)
          || !sameSourceAndMoment(systolic.get(), diastolic.get())) {
        return Optional.empty();
      }
      return Optional.of(mapper.toPanel(systolic.get(), diastolic.get()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean sameSourceAndMoment(Measurement a, Measurement b) {
    return a.patientId().equals(b.patientId())
        && a.deviceId().equals(b.deviceId())
        && a.effectiveAt().equals(b.effectiveAt());
  }

  @Override
  public IPrimitiveType<Date> getPublished() {
    return published;
  }

  @Override
  public synchronized List<IBaseResource> getResources(int fromIndex, int toIndex) {
    int pageSize = query.limit();
    if (pageSize == 0) {
      return List.of();
    }
    MeasurementQuery page =
        query.after().isPresent()
            ? query.pageAfter(query.after().get(), pageSize + 1)
            : query.firstPage(pageSize + 1);
    List<Measurement> systolics =
        store.search(page.withCodes(Set.of(MeasurementCatalog.SYSTOLIC_BP)));
    if (systolics.size() > pageSize) {
      systolics = systolics.subList(0, pageSize);
      Measurement last = systolics.getLast();
      nextPageId =
          ObservationPageToken.encode(
              query, new MeasurementQuery.Cursor(last.effectiveAt(), last.id()));
    }
    if (systolics.isEmpty()) {
      return List.of();
    }
    Instant earliest =
        systolics.stream().map(Measurement::effectiveAt).min(Instant::compareTo).get();
    Instant latest = systolics.stream().map(Measurement::effectiveAt).max(Instant::compareTo).get();
    Map<String, Measurement> diastolics = new HashMap<>();
    for (Measurement d :
        store.search(
            MeasurementQuery.forPatient(query.patientId())
                .withCodes(Set.of(MeasurementCatalog.DIASTOLIC_BP))
                .fromDevices(query.devices())
                .between(Optional.of(earliest), Optional.of(latest)))) {
      diastolics.putIfAbsent(d.deviceId() + "|" + d.effectiveAt(), d);
    }
    List<Observation> panels = new ArrayList<>();
    for (Measurement s : systolics) {
      Measurement d = diastolics.get(s.deviceId() + "|" + s.effectiveAt());
      if (d != null) {
        panels.add(mapper.toPanel(s, d));
      }
    }
    List<IBaseResource> answer = new ArrayList<>(panels.size());
    for (Observation panel : panels) {
      ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(panel, BundleEntrySearchModeEnum.MATCH);
      answer.add(panel);
    }
    if (!includes.isEmpty()) {
      for (Resource included : resolver.resolve(panels, includes)) {
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

  /** Unknown without joining every reading: searches of panels carry no total. */
  @Override
  public Integer size() {
    return null;
  }
}
