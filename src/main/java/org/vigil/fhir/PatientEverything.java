package org.vigil.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.Alarms;
import org.vigil.analytics.EarlyWarningScores;
import org.vigil.analytics.News2Score;
import org.vigil.device.DeviceRegistry;
import org.vigil.measurement.Measurement;
import org.vigil.patient.PatientRepository;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;

/**
 * {@code Patient/{id}/$everything}: one patient's record as Vigil holds it — the Patient, the
 * Devices assigned to them, their alarms as Flags, their NEWS2 scores and every reading (from
 * devices and entered by people) as Observations — in that order, paged by position like
 * Observation searches ({@link EverythingPageToken}): a reading or alarm arriving while a client
 * pages neither shifts the pages to come nor is seen twice. Blood pressure panels are left out:
 * they are a view of the systolic and diastolic readings, which are in.
 *
 * <p>{@code _since} keeps readings stored, alarms changed and NEWS2 scores effective at or after
 * it; the Patient and their Devices, whose changes Vigil does not date, are always in.
 */
@Component
class PatientEverything {

  /** The resource types a patient's record holds, in the order they come. */
  static final List<String> TYPES = List.of("Patient", "Device", "Flag", "Observation");

  /** The parts of the record, in order; a page continues in the part its predecessor ended in. */
  enum Section {
    PATIENT("Patient"),
    DEVICE("Device"),
    FLAG("Flag"),
    NEWS2("Observation"),
    OBSERVATION("Observation");

    private final String type;

    Section(String type) {
      this.type = type;
    }

    String type() {
      return type;
    }
  }

  /**
   * The last resource of a page: its section, and its place in the section's order — a device's id
   * ({@code key}), an alarm's id ({@code number}), a score's or reading's time and id.
   */
  record Position(Section section, String key, Optional<Instant> at, long number) {
    Position {
      Objects.requireNonNull(section, "section");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * One page of a patient's record.
   *
   * @param patientId whose record
   * @param types the resource types to include (of {@link #TYPES})
   * @param since leave out what changed before, if given
   * @param count resources per page
   * @param after the last resource of the page before, if this is not the first
   */
  record Request(
      String patientId,
      Set<String> types,
      Optional<Instant> since,
      int count,
      Optional<Position> after) {
    Request {
      Objects.requireNonNull(patientId, "patientId");
      types = Set.copyOf(types);
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(after, "after");
      if (count < 0) {
        throw new IllegalArgumentException("count must not be negative");
      }
    }
  }

  /** A resource of the record and where it sits. */
  private record Item(Resource resource, Position position) {}

  /** NEWS2 scores fetched at once while looking for the ones after a position. */
  private static final int SCORE_BATCH = 200;

  private final PatientRepository patients;
  private final DeviceRegistry registry;
  private final DeviceProvider devices;
  private final Alarms alarms;
  private final EarlyWarningScores scores;
  private final MeasurementStore store;
  private final ObservationMapper mapper;

  PatientEverything(
      PatientRepository patients,
      DeviceRegistry registry,
      DeviceProvider devices,
      Alarms alarms,
      EarlyWarningScores scores,
      MeasurementStore store,
      ObservationMapper mapper) {
    this.patients = patients;
    this.registry = registry;
    this.devices = devices;
    this.alarms = alarms;
    this.scores = scores;
    this.store = store;
    this.mapper = mapper;
  }

  /** A page of a patient's record, which the paging provider pages by its own page ids. */
  interface Paged extends IBundleProvider {}

  /** The page a request describes, fetched when HAPI asks for it. */
  Paged page(Request request) {
    return new Page(request);
  }

  private List<Item> fetch(Request request, int limit) {
    List<Item> items = new ArrayList<>();
    Section from = request.after().map(Position::section).orElse(Section.PATIENT);
    for (Section section : Section.values()) {
      if (section.ordinal() < from.ordinal() || !request.types().contains(section.type())) {
        continue;
      }
      Optional<Position> after = request.after().filter(p -> p.section() == section);
      items.addAll(fetch(section, request, after, limit - items.size()));
      if (items.size() >= limit) {
        break;
      }
    }
    return items;
  }

  private List<Item> fetch(Section section, Request request, Optional<Position> after, int limit) {
    String patientId = request.patientId();
    return switch (section) {
      case PATIENT ->
          after.isPresent()
              ? List.of()
              : patients.find(patientId).stream()
                  .map(p ->
                      new Item(
                          PatientProvider.toFhir(p),
                          new Position(section, null, Optional.empty(), 0)))
                  .toList();
      case DEVICE ->
          registry.devicesOf(patientId).stream()
              .sorted()
              .filter(id -> after.isEmpty() || id.compareTo(after.get().key()) > 0)
              .map(devices::find)
              .flatMap(Optional::stream)
              // a device's Patient is its current one; one since moved on is not theirs
              .filter(d -> ("Patient/" + patientId).equals(d.getPatient().getReference()))
              .limit(limit)
              .map(d -> new Item(d, new Position(section, d.getIdPart(), Optional.empty(), 0)))
              .toList();
      case FLAG ->
          alarms.ofPatient(patientId, Integer.MAX_VALUE).stream()
              .filter(a -> request.since().map(s -> !a.updatedAt().isBefore(s)).orElse(true))
              .filter(a -> after.isEmpty() || a.id() > after.get().number())
              .sorted(Comparator.comparingLong(Alarm::id))
              .limit(limit)
              .map(a ->
                  new Item(
                      FlagProvider.toFlag(a),
                      new Position(section, null, Optional.empty(), a.id())))
              .toList();
      case NEWS2 -> news2(request, after, limit);
      case OBSERVATION -> readings(request, after, limit);
    };
  }

  /** Scores oldest first, after the position: by time, then id among scores of one moment. */
  private List<Item> news2(Request request, Optional<Position> after, int limit) {
    // a position's score is at or after since: from it on is enough
    Optional<Instant> from = after.flatMap(Position::at).or(request::since);
    List<Item> items = new ArrayList<>();
    int batch = limit + SCORE_BATCH;
    while (true) {
      List<News2Score> found =
          scores.history(request.patientId(), from, Optional.empty(), true, batch);
      items.clear();
      for (News2Score score : found) {
        if (after.isPresent() && !isAfter(score, after.get())) {
          continue;
        }
        items.add(
            new Item(
                News2Observations.toObservation(score),
                new Position(Section.NEWS2, null, Optional.of(score.effectiveAt()), score.id())));
        if (items.size() == limit) {
          return items;
        }
      }
      if (found.size() < batch) {
        return items;
      }
      batch *= 4; // many scores at the position's moment: look further
    }
  }

  private static boolean isAfter(News2Score score, Position position) {
    int byTime = score.effectiveAt().compareTo(position.at().orElseThrow());
    return byTime > 0 || (byTime == 0 && score.id() > position.number());
  }

  /** Readings oldest first, after the position, as an Observation search pages them. */
  private List<Item> readings(Request request, Optional<Position> after, int limit) {
    MeasurementQuery query = readingsOf(request);
    List<Measurement> rows =
        store.search(
            after.isPresent()
                ? query.pageAfter(
                    new MeasurementQuery.Cursor(
                        after.get().at().orElseThrow(), after.get().number()),
                    limit)
                : query.firstPage(limit));
    return rows.stream()
        .map(m ->
            new Item(
                mapper.toObservation(m),
                new Position(Section.OBSERVATION, null, Optional.of(m.effectiveAt()), m.id())))
        .toList();
  }

  private static MeasurementQuery readingsOf(Request request) {
    return MeasurementQuery.forPatient(request.patientId())
        .storedBetween(request.since(), Optional.empty())
        .ordered(false);
  }

  /** How many resources the whole record (of the request's types, since) holds. */
  private long total(Request request) {
    long total = 0;
    for (Section section : Section.values()) {
      if (!request.types().contains(section.type())) {
        continue;
      }
      String patientId = request.patientId();
      total +=
          switch (section) {
            case PATIENT -> patients.find(patientId).isPresent() ? 1 : 0;
            case DEVICE -> fetch(section, request, Optional.empty(), Integer.MAX_VALUE).size();
            case FLAG -> fetch(section, request, Optional.empty(), Integer.MAX_VALUE).size();
            case NEWS2 -> scores.count(patientId, request.since(), Optional.empty());
            case OBSERVATION -> store.count(readingsOf(request).firstPage(Integer.MAX_VALUE));
          };
    }
    return total;
  }

  /**
   * One page, fetched once whatever range HAPI asks for; one resource more tells if more follow.
   */
  private final class Page implements Paged {

    private final Request request;
    private final String searchId = UUID.randomUUID().toString();
    private final InstantType published = InstantType.withCurrentTime();
    private List<IBaseResource> resources;
    private String nextPageId;
    private Integer size;

    Page(Request request) {
      this.request = request;
    }

    @Override
    public IPrimitiveType<Date> getPublished() {
      return published;
    }

    @Override
    public synchronized List<IBaseResource> getResources(int fromIndex, int toIndex) {
      if (resources != null) {
        return resources;
      }
      if (request.count() == 0) {
        resources = List.of();
        return resources;
      }
      List<Item> items = fetch(request, request.count() + 1);
      if (items.size() > request.count()) {
        items = items.subList(0, request.count());
        nextPageId = EverythingPageToken.encode(request, items.getLast().position());
      }
      List<IBaseResource> answer = new ArrayList<>(items.size());
      for (Item item : items) {
        ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(
            item.resource(), BundleEntrySearchModeEnum.MATCH);
        answer.add(item.resource());
      }
      resources = answer;
      return resources;
    }

    @Override
    public String getUuid() {
      return searchId;
    }

    @Override
    public String getCurrentPageId() {
      return request.after().map(p -> "page").orElse("first");
    }

    @Override
    public synchronized String getNextPageId() {
      return nextPageId;
    }

    @Override
    public Integer preferredPageSize() {
      return request.count();
    }

    /** The whole record's size, counted for the first page only: later pages skip the count. */
    @Override
    public synchronized Integer size() {
      if (request.after().isPresent()) {
        return null;
      }
      if (size == null) {
        size = Math.toIntExact(Math.min(Integer.MAX_VALUE, total(request)));
      }
      return size;
    }
  }
}
