package org.vigil.analytics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.vigil.log.IngestLog;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.store.MeasurementStore;

/**
 * Keeps each patient's NEWS2 current. It is a consumer group of the ingest log, so it sees every
 * durable reading — from devices and from people — in order per patient, on the thread that owns
 * the patient's partition; a new score is stored, and listeners told, only when the assessment
 * changes (points, scale or which inputs are absent), not on every heartbeat. A patient first seen
 * after a restart is warmed up from the store, and a periodic pass re-scores patients whose
 * readings stopped, so that inputs go stale even when nothing arrives. Plausible readings and every
 * score also go to the trend detectors ({@link Trends}).
 */
@Service
public class News2Monitor {

  /** The ingest log consumer group. */
  public static final String GROUP = "analytics";

  private static final Logger log = LoggerFactory.getLogger(News2Monitor.class);

  private final MeasurementStore store;
  private final EarlyWarningScores scores;
  private final SpO2Scales scales;
  private final News2Calculator calculator;
  private final List<News2Listener> listeners;
  private final List<LimitListener> limitListeners;
  private final AlarmLimits limits;
  private final Trends trends;
  private final SignalQuality signals;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, PatientVitals> patients = new ConcurrentHashMap<>();
  private final Counter implausible;
  private final Counter unreliable;
  private final Timer evaluations;

  News2Monitor(
      IngestLog ingestLog,
      MeasurementStore store,
      EarlyWarningScores scores,
      SpO2Scales scales,
      AnalyticsProperties settings,
      List<News2Listener> listeners,
      AlarmLimits limits,
      List<LimitListener> limitListeners,
      Trends trends,
      SignalQuality signals,
      MeterRegistry meters) {
    this.signals = signals;
    this.limits = limits;
    this.trends = trends;
    this.limitListeners = List.copyOf(limitListeners);
    this.store = store;
    this.scores = scores;
    this.scales = scales;
    this.calculator = new News2Calculator(settings);
    this.listeners = List.copyOf(listeners);
    this.implausible =
        Counter.builder("vigil.analytics.implausible.readings")
            .description("Readings kept out of scoring as physiologically implausible")
            .register(meters);
    this.unreliable =
        Counter.builder("vigil.analytics.unreliable.readings")
            .description(
                "Readings kept out of scoring because their device was in a technical alarm"
                    + " (probe off, signal lost)")
            .register(meters);
    this.evaluations =
        Timer.builder("vigil.analytics.news2.duration")
            .description("Time to evaluate NEWS2 for one patient's new readings")
            .register(meters);
    ingestLog.subscribe(GROUP, this::process);
  }

  /** A durable batch from the log: each patient's relevant readings, then a re-score. */
  void process(List<Measurement> batch) {
    Map<String, List<Measurement>> byPatient = new LinkedHashMap<>();
    for (Measurement m : batch) {
      if (News2Calculator.INPUT_CODES.contains(m.code()) || AlarmLimits.limitable(m.code())) {
        byPatient.computeIfAbsent(m.patientId(), p -> new java.util.ArrayList<>()).add(m);
      }
    }
    byPatient.forEach((patientId, readings) -> evaluations.record(() -> take(patientId, readings)));
  }

  private void take(String patientId, List<Measurement> readings) {
    PatientVitals vitals = vitalsOf(patientId);
    synchronized (vitals) {
      boolean plausible = false;
      for (Measurement m : readings) {
        if (Plausibility.problem(m).isPresent()) {
          implausible.increment();
          continue;
        }
        if (signals.unreliable(m.deviceId(), m.effectiveAt())) {
          unreliable.increment();
          suppressLimit(patientId, vitals, VitalReading.of(m));
          continue;
        }
        // a reliable reading ends any suppressed crossing: the next loose probe counts afresh
        vitals.suppressedBreach(m.code(), Optional.empty());
        // An older reading arriving late changes nothing, but scoring again is cheap and a
        // patient just warmed up from the store already holds this batch. Limits are judged on
        // the vital's newest reading only.
        vitals.update(m);
        if (vitals.latest(m.code()).map(r -> r.observationId() == m.id()).orElse(false)) {
          checkLimit(patientId, vitals, VitalReading.of(m));
        }
        trends.reading(m);
        plausible = true;
      }
      if (plausible) {
        rescore(patientId, vitals);
      }
    }
  }

  /** Re-scores patients whose inputs may have gone stale since their last reading. */
  @Scheduled(
      fixedDelayString = "${vigil.analytics.stale-check-interval:PT30S}",
      initialDelayString = "${vigil.analytics.stale-check-interval:PT30S}")
  void rescoreIdlePatients() {
    patients.forEach((patientId, vitals) -> {
      synchronized (vitals) {
        try {
          rescore(patientId, vitals);
        } catch (RuntimeException e) {
          log.warn("Could not re-score a patient's NEWS2: {}", e.toString());
        }
      }
    });
  }

  /** Tells the limit listeners when the reading takes its vital across its limits. */
  private void checkLimit(String patientId, PatientVitals vitals, VitalReading reading) {
    Optional<AlarmLimit> limit = limits.of(patientId, reading.code());
    if (limit.isEmpty()) {
      vitals.breach(reading.code(), Optional.empty());
      return;
    }
    Optional<AlarmLimit.Breach> breach = limit.get().breachOf(reading.value());
    if (vitals.breach(reading.code(), breach)) {
      for (LimitListener listener : limitListeners) {
        try {
          listener.limitCrossed(patientId, reading.code(), reading, limit.get(), breach);
        } catch (RuntimeException e) {
          log.error("A limit listener failed: {}", e.toString());
        }
      }
    }
  }

  /** Tells the limit listeners when an unreliable reading would have crossed its limits. */
  private void suppressLimit(String patientId, PatientVitals vitals, VitalReading reading) {
    Optional<AlarmLimit> limit = limits.of(patientId, reading.code());
    if (limit.isEmpty()) {
      return;
    }
    if (vitals.suppressedBreach(reading.code(), limit.get().breachOf(reading.value()))) {
      for (LimitListener listener : limitListeners) {
        try {
          listener.limitCrossingSuppressed(patientId, reading.code(), reading, limit.get());
        } catch (RuntimeException e) {
          log.error("A limit listener failed: {}", e.toString());
        }
      }
    }
  }

  /** The patient's limits changed: judge the latest reading of the vital again. */
  public void recheckLimit(String patientId, String code) {
    PatientVitals vitals = vitalsOf(patientId);
    synchronized (vitals) {
      vitals.latest(code).ifPresent(r -> checkLimit(patientId, vitals, r));
    }
  }

  /** The scale changed: score again at once. */
  public void rescore(String patientId) {
    PatientVitals vitals = patients.get(patientId);
    if (vitals != null) {
      synchronized (vitals) {
        rescore(patientId, vitals);
      }
    }
  }

  /** The patient's current score as last stored, if there is one. */
  public Optional<News2Score> current(String patientId) {
    PatientVitals vitals = patients.get(patientId);
    if (vitals != null) {
      synchronized (vitals) {
        if (vitals.lastScore().isPresent()) {
          return vitals.lastScore();
        }
      }
    }
    return scores.latest(patientId);
  }

  private void rescore(String patientId, PatientVitals vitals) {
    if (vitals.isEmpty()) {
      return;
    }
    News2Score score = calculator.score(patientId, vitals, scales.of(patientId), clock.instant());
    // Every evaluation, not only changes: a rise ends when the window has moved past its start.
    trends.scored(score);
    Optional<News2Score> previous = vitals.lastScore();
    if (score.sameAssessmentAs(previous.orElse(null))) {
      return;
    }
    News2Score stored = scores.save(score);
    vitals.scored(stored);
    for (News2Listener listener : listeners) {
      try {
        listener.scoreChanged(stored, previous);
      } catch (RuntimeException e) {
        log.error("A NEWS2 listener failed: {}", e.toString());
      }
    }
  }

  /** The patient's state, warmed up from the store and the last stored score on first sight. */
  private PatientVitals vitalsOf(String patientId) {
    return patients.computeIfAbsent(
        patientId,
        id -> {
          PatientVitals vitals = new PatientVitals();
          Set<String> codes = new java.util.HashSet<>(News2Calculator.INPUT_CODES);
          codes.add(MeasurementCatalog.DIASTOLIC_BP);
          for (Measurement m : store.latest(Set.of(id), codes, 1)) {
            if (Plausibility.problem(m).isEmpty()) {
              vitals.update(m);
            }
          }
          scores.latest(id).ifPresent(vitals::scored);
          return vitals;
        });
  }
}
