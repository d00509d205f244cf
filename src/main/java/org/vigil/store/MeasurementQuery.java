package org.vigil.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of one patient's readings to fetch.
 *
 * @param patientId whose readings (queries never span patients: that is an export's job)
 * @param codes LOINC codes to include; empty means all
 * @param from earliest effective time, inclusive, if bounded
 * @param to latest effective time, inclusive, if bounded
 * @param newestFirst order by effective time descending (the usual clinical view) or ascending
 * @param offset readings to skip
 * @param limit readings to return at most
 */
public record MeasurementQuery(
    String patientId,
    Set<String> codes,
    Optional<Instant> from,
    Optional<Instant> to,
    boolean newestFirst,
    int offset,
    int limit) {

  public MeasurementQuery {
    Objects.requireNonNull(patientId, "patientId");
    codes = Set.copyOf(codes);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
  }

  public static MeasurementQuery forPatient(String patientId) {
    return new MeasurementQuery(
        patientId, Set.of(), Optional.empty(), Optional.empty(), true, 0, Integer.MAX_VALUE);
  }

  public MeasurementQuery withCodes(Set<String> newCodes) {
    return new MeasurementQuery(patientId, newCodes, from, to, newestFirst, offset, limit);
  }

  public MeasurementQuery between(Optional<Instant> newFrom, Optional<Instant> newTo) {
    return new MeasurementQuery(patientId, codes, newFrom, newTo, newestFirst, offset, limit);
  }

  public MeasurementQuery ordered(boolean newNewestFirst) {
    return new MeasurementQuery(patientId, codes, from, to, newNewestFirst, offset, limit);
  }

  public MeasurementQuery page(int newOffset, int newLimit) {
    return new MeasurementQuery(patientId, codes, from, to, newestFirst, newOffset, newLimit);
  }
}
