package org.vigil.medication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vigil.alarm.AlarmPriority;
import org.vigil.alarm.Alarms;

/**
 * Watches every active schedule, every {@code vigil.medication.check-interval}, with each patient's
 * own settings:
 *
 * <ul>
 *   <li>a dose due {@code reminder-grace} ago and not taken: a reminder to the patient (in the
 *       portal, and through the reminder webhooks), once per dose;
 *   <li>{@code consecutive-misses} missed doses in a row of one medicine: the care team's alarm
 *       {@code medication-missed:<MedicationRequest id>} (medium priority), which clears once a
 *       dose is taken again;
 *   <li>on-time adherence over {@code adherence-period} below {@code adherence-threshold}, judged
 *       only over {@code adherence-minimum-doses} decided doses or more: {@code
 *       medication-adherence:<id>} (low priority), clearing when it is back at or above it.
 * </ul>
 */
@Component
class MedicationWatch {

  static final String MISSED = "medication-missed:";
  static final String LOW_ADHERENCE = "medication-adherence:";

  private static final Logger log = LoggerFactory.getLogger(MedicationWatch.class);

  private final MedicationSchedules schedules;
  private final MedicationAdherence adherence;
  private final MedicationSettings settings;
  private final MedicationReminders reminders;
  private final ReminderWebhooks webhooks;
  private final Alarms alarms;
  private final MedicationProperties properties;
  private final Clock clock = Clock.systemUTC();

  MedicationWatch(
      MedicationSchedules schedules,
      MedicationAdherence adherence,
      MedicationSettings settings,
      MedicationReminders reminders,
      ReminderWebhooks webhooks,
      Alarms alarms,
      MedicationProperties properties) {
    this.schedules = schedules;
    this.adherence = adherence;
    this.settings = settings;
    this.reminders = reminders;
    this.webhooks = webhooks;
    this.alarms = alarms;
    this.properties = properties;
  }

  @Scheduled(
      fixedDelayString = "${vigil.medication.check-interval:PT30S}",
      initialDelayString = "${vigil.medication.check-interval:PT30S}")
  void check() {
    Instant now = clock.instant();
    Map<String, List<DoseSchedule>> byPatient =
        schedules.active().stream()
            .filter(s -> !s.asNeeded())
            .collect(Collectors.groupingBy(DoseSchedule::patientId));
    for (Map.Entry<String, List<DoseSchedule>> patient : byPatient.entrySet()) {
      try {
        check(patient.getKey(), patient.getValue(), now);
      } catch (RuntimeException e) {
        // one patient's trouble must not stop the others' reminders; no patient data in the log
        log.error("Medication check failed for one patient", e);
      }
    }
  }

  private void check(String patientId, List<DoseSchedule> active, Instant now) {
    PatientMedicationSettings.Effective own = settings.of(patientId);
    Instant from = now.minus(own.adherencePeriod());
    Adherence judged = adherence.of(patientId, active, from, now.plusSeconds(1), now);
    for (Adherence.OfMedication medicine : judged.medications()) {
      DoseSchedule schedule = medicine.schedule();
      if (own.reminders()) {
        remind(patientId, schedule, medicine.doses(), own.reminderGrace(), now);
      }
      missedInARow(patientId, schedule, medicine.doses(), own.consecutiveMisses(), own.timeZone());
      lowAdherence(patientId, schedule, medicine.rates(), own.adherenceThreshold(), own);
    }
  }

  private void remind(
      String patientId, DoseSchedule schedule, List<Dose> doses, Duration grace, Instant now) {
    for (Dose dose : doses) {
      // only doses still open to being taken: a reminder for one long missed helps no one
      if (dose.outcome() == DoseOutcome.DUE && !now.isBefore(dose.dueAt().plus(grace))) {
        reminders
            .send(patientId, schedule.id(), dose.dueAt())
            .ifPresent(reminder -> webhooks.send(reminder, schedule));
      }
    }
  }

  private void missedInARow(
      String patientId, DoseSchedule schedule, List<Dose> doses, int needed, ZoneId zone) {
    List<Dose> decided = doses.stream().filter(d -> d.outcome().decided()).toList();
    int run = 0;
    for (int i = decided.size() - 1;
        i >= 0 && decided.get(i).outcome() == DoseOutcome.MISSED;
        i--) {
      run++;
    }
    String condition = MISSED + schedule.id();
    if (run >= needed) {
      Instant last = decided.getLast().dueAt();
      alarms.raise(
          patientId,
          condition,
          AlarmPriority.MEDIUM,
          run
              + " doses in a row of "
              + schedule.medication()
              + " missed (the last due "
              + DateTimeFormatter.ofPattern("EEE d MMM HH:mm").withZone(zone).format(last)
              + ")");
    } else if (!decided.isEmpty() && decided.getLast().outcome().taken()) {
      alarms.conditionCleared(patientId, condition);
    }
  }

  private void lowAdherence(
      String patientId,
      DoseSchedule schedule,
      Adherence.Rates rates,
      double threshold,
      PatientMedicationSettings.Effective own) {
    String condition = LOW_ADHERENCE + schedule.id();
    int decided = rates.onTime() + rates.late() + rates.missed();
    if (threshold <= 0 || decided < properties.adherenceMinimumDoses()) {
      return;
    }
    double rate = rates.onTimeRate().orElseThrow();
    if (rate < threshold) {
      alarms.raise(
          patientId,
          condition,
          AlarmPriority.LOW,
          String.format(
              java.util.Locale.ROOT,
              "%s taken on time %.0f %% over %d days (%d of %d doses), under the target of %.0f %%",
              schedule.medication(),
              rate * 100,
              own.adherencePeriod().toDays(),
              rates.onTime(),
              decided,
              threshold * 100));
    } else {
      alarms.conditionCleared(patientId, condition);
    }
  }
}
