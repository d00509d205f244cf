package org.vigil.chronic;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.vigil.alarm.AlarmPriority;
import org.vigil.alarm.Alarms;
import org.vigil.log.IngestLog;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.store.MeasurementQuery;
import org.vigil.store.MeasurementStore;

/**
 * The chronic-care alarms, for patients with a care plan in force. A consumer group of the ingest
 * log (as NEWS2 is), so it sees every durable reading — from devices and from people — in order per
 * patient, and raises through {@link Alarms} like every other rule:
 *
 * <ul>
 *   <li>{@code hypoglycaemia-level-2}, high: a glucose reading below 54 mg/dL (consensus level 2,
 *       "clinically significant", Battelino 2019); clears at 70 mg/dL or more. Below 70 (level 1)
 *       is the patient's low glucose limit alarm, medium, which the diabetes program sets from the
 *       plan's glucose range — not raised twice here.
 *   <li>{@code hypertensive-crisis}, high: systolic ≥ 180 or diastolic ≥ 120 mmHg; clears on a
 *       reading below both.
 *   <li>{@code heart-failure-weight-gain}, medium: in the heart-failure program, the daily weight
 *       rose more than the plan's threshold over its window ({@link WeightGain}); clears when a
 *       later daily weight no longer does. Medium: the patient should call their team that day (ESC
 *       2021), not an emergency.
 * </ul>
 *
 * Readings a person could not have (a glucose of 0, a weight of 900 kg) are left out, as NEWS2
 * leaves out implausible vitals.
 */
@Service
public class ChronicCareMonitor {

  /** The ingest log consumer group. */
  public static final String GROUP = "chronic-care";

  public static final String HYPOGLYCAEMIA = "hypoglycaemia-level-2";
  public static final String CRISIS = "hypertensive-crisis";
  public static final String WEIGHT_GAIN = "heart-failure-weight-gain";

  private static final Set<String> CODES =
      Set.of(
          MeasurementCatalog.GLUCOSE_BLOOD,
          MeasurementCatalog.GLUCOSE_CAPILLARY,
          MeasurementCatalog.SYSTOLIC_BP,
          MeasurementCatalog.DIASTOLIC_BP,
          MeasurementCatalog.BODY_WEIGHT);

  private static final Logger log = LoggerFactory.getLogger(ChronicCareMonitor.class);

  private final CarePlans plans;
  private final Alarms alarms;
  private final MeasurementStore store;

  ChronicCareMonitor(IngestLog ingestLog, CarePlans plans, Alarms alarms, MeasurementStore store) {
    this.plans = plans;
    this.alarms = alarms;
    this.store = store;
    ingestLog.subscribe(GROUP, this::process);
  }

  void process(List<Measurement> batch) {
    for (Measurement m : batch) {
      if (!CODES.contains(m.code()) || !plausible(m)) {
        continue;
      }
      try {
        plans.activeOf(m.patientId()).ifPresent(plan -> judge(plan, m));
      } catch (RuntimeException e) {
        // Patient ids are not logged (no PHI in logs); the reading's id finds it.
        log.error("Chronic-care rules failed on reading {}: {}", m.id(), e.toString());
      }
    }
  }

  private void judge(CarePlan plan, Measurement m) {
    switch (m.code()) {
      case MeasurementCatalog.GLUCOSE_BLOOD, MeasurementCatalog.GLUCOSE_CAPILLARY ->
          glucose(plan, m);
      case MeasurementCatalog.SYSTOLIC_BP, MeasurementCatalog.DIASTOLIC_BP -> pressure(plan, m);
      case MeasurementCatalog.BODY_WEIGHT -> {
        if (plan.in(CareProgram.HEART_FAILURE)) {
          weight(plan, m);
        }
      }
      default -> {}
    }
  }

  private void glucose(CarePlan plan, Measurement m) {
    if (m.value() < TimeInRange.LEVEL_2_LOW) {
      alarms.raise(
          plan.patientId(),
          HYPOGLYCAEMIA,
          AlarmPriority.HIGH,
          "Level 2 hypoglycaemia: glucose "
              + whole(m.value())
              + " mg/dL, below 54 mg/dL (consensus, Battelino 2019)");
    } else if (m.value() >= TimeInRange.RANGE_LOW) {
      alarms.conditionCleared(plan.patientId(), HYPOGLYCAEMIA);
    }
  }

  private void pressure(CarePlan plan, Measurement m) {
    boolean systolic = m.code().equals(MeasurementCatalog.SYSTOLIC_BP);
    double threshold =
        systolic ? BloodPressureReading.CRISIS_SYSTOLIC : BloodPressureReading.CRISIS_DIASTOLIC;
    if (m.value() >= threshold) {
      alarms.raise(
          plan.patientId(),
          CRISIS,
          AlarmPriority.HIGH,
          "Hypertensive crisis: "
              + (systolic ? "systolic " : "diastolic ")
              + whole(m.value())
              + " mmHg (≥ 180/120)");
    } else if (bothBelowCrisis(plan.patientId(), m)) {
      alarms.conditionCleared(plan.patientId(), CRISIS);
    }
  }

  /** Whether the other number of the same reading (same device and time) is below the crisis. */
  private boolean bothBelowCrisis(String patientId, Measurement m) {
    String other =
        m.code().equals(MeasurementCatalog.SYSTOLIC_BP)
            ? MeasurementCatalog.DIASTOLIC_BP
            : MeasurementCatalog.SYSTOLIC_BP;
    double threshold =
        other.equals(MeasurementCatalog.SYSTOLIC_BP)
            ? BloodPressureReading.CRISIS_SYSTOLIC
            : BloodPressureReading.CRISIS_DIASTOLIC;
    return store
        .search(
            MeasurementQuery.forPatient(patientId)
                .withCodes(Set.of(other))
                .between(Optional.of(m.effectiveAt()), Optional.of(m.effectiveAt()))
                .firstPage(10))
        .stream()
        .filter(o -> o.deviceId().equals(m.deviceId()))
        .allMatch(o -> o.value() < threshold);
  }

  private void weight(CarePlan plan, Measurement m) {
    WeightGain rule = plan.targets().weightGain();
    Instant from = m.effectiveAt().minus(Duration.ofDays(rule.days() + 2L));
    List<WeightSample> samples =
        store
            .search(
                MeasurementQuery.forPatient(plan.patientId())
                    .withCodes(Set.of(MeasurementCatalog.BODY_WEIGHT))
                    .between(Optional.of(from), Optional.of(m.effectiveAt()))
                    .ordered(false))
            .stream()
            .filter(ChronicCareMonitor::plausible)
            .filter(w -> w.id() != m.id())
            .map(w -> new WeightSample(w.effectiveAt(), w.value()))
            .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
    // The reading itself, whether or not the store has it yet (a cluster's log may be ahead of
    // the store writer).
    samples.add(new WeightSample(m.effectiveAt(), m.value()));
    Optional<WeightGain.Assessment> assessment = rule.assess(samples, m.effectiveAt(), plan.zone());
    if (assessment.isEmpty()) {
      return;
    }
    WeightGain.Assessment a = assessment.get();
    if (a.exceeded()) {
      alarms.raise(
          plan.patientId(),
          WEIGHT_GAIN,
          AlarmPriority.MEDIUM,
          "Weight up "
              + String.format(java.util.Locale.ROOT, "%.1f", a.gain())
              + " kg in "
              + rule.days()
              + " days ("
              + String.format(java.util.Locale.ROOT, "%.1f", a.baseline())
              + " kg on "
              + a.baselineDay()
              + ", "
              + String.format(java.util.Locale.ROOT, "%.1f", a.dailyWeight())
              + " kg on "
              + a.day()
              + "): more than "
              + String.format(java.util.Locale.ROOT, "%.1f", rule.kg())
              + " kg, a sign of fluid retention (ESC 2021)");
    } else if (a.day().equals(m.effectiveAt().atZone(plan.zone()).toLocalDate())) {
      alarms.conditionCleared(plan.patientId(), WEIGHT_GAIN);
    }
  }

  /** Whether the reading could be a person's (meters read 20–600 mg/dL; scales up to 400 kg). */
  static boolean plausible(Measurement m) {
    double v = m.value();
    return switch (m.code()) {
      case MeasurementCatalog.GLUCOSE_BLOOD, MeasurementCatalog.GLUCOSE_CAPILLARY ->
          v >= 10 && v <= 1000;
      case MeasurementCatalog.SYSTOLIC_BP -> v >= 20 && v <= 300;
      case MeasurementCatalog.DIASTOLIC_BP -> v >= 10 && v <= 250;
      case MeasurementCatalog.BODY_WEIGHT -> v >= 0.5 && v <= 400;
      default -> true;
    };
  }

  private static String whole(double value) {
    return String.valueOf(Math.round(value));
  }
}
