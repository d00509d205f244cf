package org.vigil.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of one patient's readings to fetch, one page at a time.
 *
 * <p>Pages continue after the last reading of the page before (a cursor), not at an offset: a
 * reading stored while a client pages through a patient's history neither shifts later pages (no
 * reading seen twice or skipped) nor makes a deep page slower than the first.
 *
 * @param patientId whose readings (queries never span patients: that is an export's job)
 * @param codes LOINC codes to include; empty means all
 * @param from earliest effective time, inclusive, if bounded
 * @param to latest effective time, inclusive, if bounded
 * @param devices the devices whose readings to include; empty means all
 * @param storedFrom earliest time the reading was stored (FHIR's lastUpdated), inclusive
 * @param storedTo latest time the reading was stored, inclusive
 * @param newestFirst order by effective time descending (the usual clinical view) or ascending
 * @param after the last reading of the previous page, if this is not the first
 * @param limit readings to return at most
 */
public record MeasurementQuery(
    String patientId,
    Set<String> codes,
    Optional<Instant> from,
    Optional<Instant> to,
    Set<String> devices,
    Optional<Instant> storedFrom,
    Optional<Instant> storedTo,
    boolean newestFirst,
    Optional<Cursor> after,
    int limit) {

  /**
   * Where a page ended: readings are ordered by effective time, then by id among readings taken at
   * the same moment.
   */
  public record Cursor(Instant effectiveAt, long id) {
    public Cursor {
      Objects.requireNonNull(effectiveAt, "effectiveAt");
    }
  }

  public MeasurementQuery {
    Objects.requireNonNull(patientId, "patientId");
    codes = Set.copyOf(codes);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    devices = Set.copyOf(devices);
    Objects.requireNonNull(storedFrom, "storedFrom");
    Objects.requireNonNull(storedTo, "storedTo");
    Objects.requireNonNull(after, "after");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
  }

  public static MeasurementQuery forPatient(String patientId) {
    return new MeasurementQuery(
        patientId,
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        true,
        Optional.empty(),
        Integer.MAX_VALUE);
  }

  public MeasurementQuery withCodes(Set<String> newCodes) {
    return new MeasurementQuery(
        patientId, newCodes, from, to, devices, storedFrom, storedTo, newestFirst, after, limit);
  }

  public MeasurementQuery between(Optional<Instant> newFrom, Optional<Instant> newTo) {
    return new MeasurementQuery(
        patientId, codes, newFrom, newTo, devices, storedFrom, storedTo, newestFirst, after, limit);
  }

  public MeasurementQuery fromDevices(Set<String> newDevices) {
    return new MeasurementQuery(
        patientId, codes, from, to, newDevices, storedFrom, storedTo, newestFirst, after, limit);
  }

  public MeasurementQuery storedBetween(Optional<Instant> newFrom, Optional<Instant> newTo) {
    return new MeasurementQuery(
        patientId, codes, from, to, devices, newFrom, newTo, newestFirst, after, limit);
  }

  public MeasurementQuery ordered(boolean newNewestFirst) {
    return new MeasurementQuery(
        patientId, codes, from, to, devices, storedFrom, storedTo, newNewestFirst, after, limit);
  }

  /** The first page of at most {@code newLimit} readings. */
  public MeasurementQuery firstPage(int newLimit) {
    return new MeasurementQuery(
        patientId,
        codes,
        from,
        to,
        devices,
        storedFrom,
        storedTo,
        newestFirst,
        Optional.empty(),
        newLimit);
  }

  /** The page of at most {@code newLimit} readings that follows the reading {@code last}. */
  public MeasurementQuery pageAfter(Cursor last, int newLimit) {
    return new MeasurementQuery(
        patientId,
        codes,
        from,
        to,
        devices,
        storedFrom,
        storedTo,
        newestFirst,
        Optional.of(last),
        newLimit);
  }
}
