package org.vigil.chronic;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import org.vigil.alarm.Alarms;
import org.vigil.analytics.TrendKind;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;

/**
 * A patient's chronic-care figures as of a moment, from their stored readings: the consensus CGM
 * metrics of the last 14 days, the ESH home blood pressure of the last 7, the weight and its
 * heart-failure rule, and COPD's SpO2 against its range with the trend alarms (heuristics) that
 * watch SpO2 and respiration.
 */
@Service
public class CareMetrics {

  static final Set<String> GLUCOSE =
      Set.of(MeasurementCatalog.GLUCOSE_BLOOD, MeasurementCatalog.GLUCOSE_CAPILLARY);

  private final MeasurementStore store;
  private final Alarms alarms;

  CareMetrics(MeasurementStore store, Alarms alarms) {
    this.store = store;
    this.alarms = alarms;
  }

  /**
   * Weight now and over the week.
   *
   * @param latest the latest daily weight, kg, if any in the last 30 days
   * @param latestDay its day
   * @param weekAgo the daily weight 7 days before it (or the nearest earlier within 3 days)
   * @param heartFailure the heart-failure rule's view of the latest day
   */
  public record Weight(
      Optional<Double> latest,
      Optional<LocalDate> latestDay,
      Optional<Double> weekAgo,
      Optional<WeightGain.Assessment> heartFailure) {}

  /**
   * SpO2 over the last 7 days against the plan's range.
   *
   * @param readings readings
   * @param median their median, percent
   * @param inRangePercent percent of them within the range, ends included
   * @param trends the open trend alarms on SpO2 and respiration (heuristics), by condition
   */
  public record Oxygen(int readings, double median, double inRangePercent, List<String> trends) {}

  /** Everything, as of {@code at}. */
  /**
   * Everything, as of {@code at}.
   *
   * @param glucose the consensus metrics of the 14 days before
   * @param inPersonalRange percent of those glucose readings within the plan's own range (the
   *     consensus 70–180 unless the clinician set another), ends included; {@code NaN} without any
   */
  public record Snapshot(
      Instant at,
      CarePlan plan,
      TimeInRange glucose,
      double inPersonalRange,
      HomeBloodPressure bloodPressure,
      Weight weight,
      Oxygen oxygen) {}

  public Snapshot of(CarePlan plan, Instant at) {
    Instant from = at.minus(TimeInRange.PERIOD);
    List<GlucoseSample> glucose = glucose(plan.patientId(), from, at);
    long inRange =
        glucose.stream()
            .filter(g ->
                g.mgPerDl() >= plan.targets().glucoseLow()
                    && g.mgPerDl() <= plan.targets().glucoseHigh())
            .count();
    return new Snapshot(
        at,
        plan,
        TimeInRange.of(glucose, from, at, plan.targets().cgmInterval()),
        glucose.isEmpty() ? Double.NaN : 100.0 * inRange / glucose.size(),
        bloodPressure(plan, at),
        weight(plan, at),
        oxygen(plan, at));
  }

  public TimeInRange timeInRange(CarePlan plan, Instant from, Instant to) {
    return TimeInRange.of(
        glucose(plan.patientId(), from, to), from, to, plan.targets().cgmInterval());
  }

  /** The patient's glucose readings in {@code [from, to)}, oldest first. */
  public List<GlucoseSample> glucose(String patientId, Instant from, Instant to) {
    return readings(patientId, GLUCOSE, from, to).stream()
        .filter(ChronicCareMonitor::plausible)
        .filter(m -> m.effectiveAt().isBefore(to))
        .map(m -> new GlucoseSample(m.effectiveAt(), m.value()))
        .toList();
  }

  public HomeBloodPressure bloodPressure(CarePlan plan, Instant at) {
    Instant from = at.minus(Duration.ofDays(8));
    List<Measurement> readings =
        readings(
            plan.patientId(),
            Set.of(MeasurementCatalog.SYSTOLIC_BP, MeasurementCatalog.DIASTOLIC_BP),
            from,
            at);
    // Systolic and diastolic of one reading share the device and the moment.
    Map<String, double[]> pairs = new TreeMap<>();
    Map<String, Instant> times = new TreeMap<>();
    for (Measurement m : readings) {
      if (!ChronicCareMonitor.plausible(m)) {
        continue;
      }
      String key = m.effectiveAt() + " " + m.deviceId();
      double[] pair = pairs.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN});
      pair[m.code().equals(MeasurementCatalog.SYSTOLIC_BP) ? 0 : 1] = m.value();
      times.put(key, m.effectiveAt());
    }
    List<BloodPressureReading> paired = new ArrayList<>();
    pairs.forEach((key, pair) -> {
      if (!Double.isNaN(pair[0]) && !Double.isNaN(pair[1])) {
        paired.add(new BloodPressureReading(times.get(key), pair[0], pair[1]));
      }
    });
    return HomeBloodPressure.of(paired, at, plan.zone());
  }

  public Weight weight(CarePlan plan, Instant at) {
    List<WeightSample> samples =
        readings(
                plan.patientId(),
                Set.of(MeasurementCatalog.BODY_WEIGHT),
                at.minus(Duration.ofDays(30)),
                at)
            .stream()
            .filter(ChronicCareMonitor::plausible)
            .map(m -> new WeightSample(m.effectiveAt(), m.value()))
            .toList();
    TreeMap<LocalDate, Double> daily = WeightGain.dailyWeights(samples, plan.zone());
    if (daily.isEmpty()) {
      return new Weight(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
    LocalDate last = daily.lastKey();
    Optional<Double> weekAgo =
        Optional.ofNullable(daily.floorEntry(last.minusDays(7)))
            .filter(e -> !e.getKey().isBefore(last.minusDays(10)))
            .map(Map.Entry::getValue);
    return new Weight(
        Optional.of(daily.get(last)),
        Optional.of(last),
        weekAgo,
        plan.targets().weightGain().assess(samples, at, plan.zone()));
  }

  public Oxygen oxygen(CarePlan plan, Instant at) {
    double[] values =
        readings(
                plan.patientId(),
                Set.of(MeasurementCatalog.OXYGEN_SATURATION),
                at.minus(Duration.ofDays(7)),
                at)
            .stream()
            .mapToDouble(Measurement::value)
            .filter(v -> v > 0 && v <= 100)
            .sorted()
            .toArray();
    long inRange =
        java.util.Arrays.stream(values)
            .filter(v -> v >= plan.targets().spo2Low() && v <= plan.targets().spo2High())
            .count();
    List<String> trends =
        List.of(TrendKind.SPO2_FALLING, TrendKind.RESPIRATORY_RATE_RISING).stream()
            .map(TrendKind::condition)
            .filter(condition -> alarms.isOpen(plan.patientId(), condition))
            .toList();
    return new Oxygen(
        values.length,
        GlucoseProfile.percentile(values, 50),
        values.length == 0 ? Double.NaN : 100.0 * inRange / values.length,
        trends);
  }

  /** Readings of the codes in {@code [from, to]}, oldest first. */
  List<Measurement> readings(String patientId, Set<String> codes, Instant from, Instant to) {
    return store.search(
        MeasurementQuery.forPatient(patientId)
            .withCodes(codes)
            .between(Optional.of(from), Optional.of(to))
            .ordered(false));
  }
}
