package org.vigil.demo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vigil.log.IngestLog;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementIds;

/**
 * The demo's nurse doing her observation round: for every patient, the two NEWS2 inputs no monitor
 * measures — level of consciousness (alert) and whether the patient breathes air (no supplemental
 * oxygen) — recorded as the demo nurse's manual entries, at the start and then every four hours
 * (the usual round for a patient at low risk). Without them every NEWS2 on the demo ward would be
 * incomplete, which is right for a real ward that records none, but not the ward a visitor should
 * first see. A real ward's nurses enter these through the web app or the FHIR API.
 */
final class NurseRounds {

  static final java.time.Duration EVERY = java.time.Duration.ofHours(4);

  private final IngestLog log;
  private final MeasurementIds ids;
  private final Clock clock;

  NurseRounds(IngestLog log, MeasurementIds ids, Clock clock) {
    this.log = log;
    this.ids = ids;
    this.clock = clock;
  }

  /** One round: records both observations of each patient and waits until they are durable. */
  void round(String nurse, List<String> patientIds) throws Exception {
    Instant now = clock.instant();
    List<java.util.concurrent.CompletableFuture<Void>> stored = new ArrayList<>();
    for (String patientId : patientIds) {
      List<Measurement> observations =
          List.of(
              observation(
                  patientId,
                  nurse,
                  MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS,
                  Consciousness.ALERT.ordinal(),
                  Consciousness.UNIT,
                  now),
              observation(
                  patientId, nurse, MeasurementCatalog.INHALED_OXYGEN_FLOW, 0, "L/min", now));
      stored.add(log.append(observations));
    }
    for (var future : stored) {
      future.get(30, TimeUnit.SECONDS);
    }
  }

  private Measurement observation(
      String patientId, String nurse, String code, double value, String unit, Instant at) {
    return new Measurement(
        ids.next(),
        patientId,
        Measurement.MANUAL_ENTRY_PREFIX + nurse,
        code,
        Measurement.NO_MDC_CODE,
        value,
        unit,
        at,
        at);
  }
}
