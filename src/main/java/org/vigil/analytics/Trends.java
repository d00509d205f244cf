package org.vigil.analytics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;

/**
 * Watches each patient's heart rate (rising and falling), respiration rate (rising) and SpO2
 * (falling) for sustained changes from their own baseline ({@link VitalTrend}), and their NEWS2 for
 * a rise ({@link News2Rise}), and tells the {@link TrendListener}s when a trend begins and ends.
 * Fed by {@link News2Monitor} with every plausible reading and every score, on the thread that owns
 * the patient's partition. The state is in memory only: after a restart each baseline warms up
 * again.
 */
@Component
class Trends {

  private static final Logger log = LoggerFactory.getLogger(Trends.class);

  /** The vitals watched, each with its detector's configuration. */
  private enum Watched {
    HEART_RATE(TrendKind.HEART_RATE_RISING, TrendKind.HEART_RATE_FALLING),
    RESPIRATORY_RATE(TrendKind.RESPIRATORY_RATE_RISING, null),
    SPO2(null, TrendKind.SPO2_FALLING);

    final TrendKind rising;
    final TrendKind falling;

    Watched(TrendKind rising, TrendKind falling) {
      this.rising = rising;
      this.falling = falling;
    }

    static Optional<Watched> of(String code) {
      return switch (code) {
        case MeasurementCatalog.HEART_RATE -> Optional.of(HEART_RATE);
        case MeasurementCatalog.RESPIRATORY_RATE -> Optional.of(RESPIRATORY_RATE);
        case MeasurementCatalog.OXYGEN_SATURATION, MeasurementCatalog.OXYGEN_SATURATION_ARTERIAL ->
            Optional.of(SPO2);
        default -> Optional.empty();
      };
    }

    double minSd(TrendProperties settings) {
      return switch (this) {
        case HEART_RATE -> settings.heartRateMinSd();
        case RESPIRATORY_RATE -> settings.respiratoryRateMinSd();
        case SPO2 -> settings.spo2MinSd();
      };
    }
  }

  private final class PatientTrends {
    final Map<Watched, VitalTrend> vitals = new EnumMap<>(Watched.class);
    final News2Rise news2 = new News2Rise(settings);
  }

  private final TrendProperties settings;
  private final List<TrendListener> listeners;
  private final Map<String, PatientTrends> patients = new ConcurrentHashMap<>();

  Trends(TrendProperties settings, List<TrendListener> listeners) {
    this.settings = settings;
    this.listeners = List.copyOf(listeners);
  }

  /** A plausible reading of the patient's. */
  void reading(Measurement m) {
    if (!settings.enabled()) {
      return;
    }
    Optional<Watched> watched = Watched.of(m.code());
    if (watched.isEmpty()) {
      return;
    }
    Watched w = watched.get();
    VitalTrend trend =
        of(m.patientId())
            .vitals
            .computeIfAbsent(
                w,
                v ->
                    new VitalTrend(
                        settings, v.minSd(settings), v.rising != null, v.falling != null));
    boolean wasRising = trend.rising();
    boolean wasFalling = trend.falling();
    Optional<VitalTrend.Sample> sample = trend.add(m.effectiveAt(), m.value());
    if (sample.isEmpty()) {
      return;
    }
    VitalTrend.Sample s = sample.get();
    if (w.rising != null && trend.rising() != wasRising) {
      tell(
          new TrendChange(
              m.patientId(), w.rising, trend.rising(), s.level(), s.baseline(), s.at()));
    }
    if (w.falling != null && trend.falling() != wasFalling) {
      tell(
          new TrendChange(
              m.patientId(), w.falling, trend.falling(), s.level(), s.baseline(), s.at()));
    }
  }

  /** The patient's current NEWS2, each time it is computed; incomplete scores are passed over. */
  void scored(News2Score score) {
    if (!settings.enabled() || !score.complete()) {
      return;
    }
    News2Rise rise = of(score.patientId()).news2;
    java.util.Map<News2Parameter, Integer> points = new java.util.EnumMap<>(News2Parameter.class);
    score.scored().forEach((parameter, sub) -> points.put(parameter, sub.points()));
    if (rise.score(score.effectiveAt(), points)) {
      tell(
          new TrendChange(
              score.patientId(),
              TrendKind.NEWS2_RISING,
              rise.rising(),
              score.total(),
              rise.lowest(),
              score.effectiveAt()));
    }
  }

  private PatientTrends of(String patientId) {
    return patients.computeIfAbsent(patientId, id -> new PatientTrends());
  }

  private void tell(TrendChange change) {
    for (TrendListener listener : listeners) {
      try {
        listener.trendChanged(change);
      } catch (RuntimeException e) {
        log.error("A trend listener failed: {}", e.toString());
      }
    }
  }
}
