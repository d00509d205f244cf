package org.vigil.store;

import java.util.List;
import java.util.Optional;
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

  /** The highest id stored, or 0: a floor for the id generator after a restart. */
  long highestId();
}
