package org.vigil.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.vigil.measurement.Measurement;

/**
 * Durable storage of readings. One implementation per storage technology; today JDBC, which runs on
 * the embedded H2 database and on PostgreSQL.
 */
public interface MeasurementStore {

  /**
   * Stores a batch in one transaction: all of it is durable when this returns, or none of it when
   * it throws. A reading already stored (same patient, code, time, device and value — a device's
   * redelivery) is stored once.
   */
  void append(List<Measurement> batch);

  Optional<Measurement> find(long id);

  List<Measurement> search(MeasurementQuery query);

  long count(MeasurementQuery query);

  /**
   * The latest {@code max} readings of each code for each of the patients, newest first — what a
   * dashboard shows. Codes empty means every code.
   */
  List<Measurement> latest(Set<String> patientIds, Set<String> codes, int max);

  /**
   * Count, minimum, maximum, mean and median of one patient's readings of each of the codes within
   * the period, one summary per code and unit; codes without readings in the period have none.
   */
  List<Statistics> statistics(
      String patientId, Set<String> codes, Optional<Instant> from, Optional<Instant> to);

  /**
   * Every reading stored (received) at or after {@code since}, or all, in id order, handed one at a
   * time to {@code each} while the database streams them: a bulk export's source, which must not
   * hold millions of readings in memory.
   */
  void forEach(Optional<Instant> since, Consumer<Measurement> each);

  /** The highest id stored, or 0: a floor for the id generator after a restart. */
  long highestId();
}
