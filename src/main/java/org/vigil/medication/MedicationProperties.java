package org.vigil.medication;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How medication adherence is judged, reminded and alarmed ({@code vigil.medication.*}); the
 * reminder and alarm settings are defaults a clinician may change per patient.
 *
 * @param tolerance a dose taken within this much of its time is on time
 * @param lateLimit how long after its time a dose can still be taken late
 * @param timeZone the time zone schedules are read in when a patient has none of their own
 * @param reminders whether patients are reminded of doses due and not taken
 * @param reminderGrace how long after a dose's time, with nothing taken, the reminder goes
 * @param consecutiveMisses the care team is alarmed after this many missed doses in a row
 * @param adherenceThreshold … or when on-time adherence over {@code adherencePeriod} falls below
 *     this (0 to 1; 0 turns it off)
 * @param adherencePeriod the period on-time adherence is watched over
 * @param adherenceMinimumDoses on-time adherence is judged only over at least this many decided
 *     doses (two missed doses in a new schedule are not "0 % adherence")
 * @param checkInterval how often due doses are looked at
 * @param reminderWebhooks SMS or push gateways told of each reminder, signed as alarm webhooks are
 * @param reminderAllowedEndpoints URL prefixes reminder webhooks may go to ({@code *} for a port)
 * @param webhookTimeout how long one delivery attempt may take
 * @param webhookAttempts how many attempts a reminder gets before it is given up (logged)
 */
@ConfigurationProperties("vigil.medication")
public record MedicationProperties(
    @DefaultValue("PT1H") Duration tolerance,
    @DefaultValue("PT4H") Duration lateLimit,
    @DefaultValue("UTC") ZoneId timeZone,
    @DefaultValue("true") boolean reminders,
    @DefaultValue("PT15M") Duration reminderGrace,
    @DefaultValue("2") int consecutiveMisses,
    @DefaultValue("0.8") double adherenceThreshold,
    @DefaultValue("P7D") Duration adherencePeriod,
    @DefaultValue("4") int adherenceMinimumDoses,
    @DefaultValue("PT30S") Duration checkInterval,
    @DefaultValue List<ReminderWebhook> reminderWebhooks,
    @DefaultValue List<String> reminderAllowedEndpoints,
    @DefaultValue("PT10S") Duration webhookTimeout,
    @DefaultValue("3") int webhookAttempts) {

  /** A gateway for reminders, and the secret its deliveries are signed with. */
  public record ReminderWebhook(String url, String secret) {}

  public MedicationProperties {
    // MatchingRules checks tolerance and late limit
    new MatchingRules(tolerance, lateLimit, timeZone);
    if (reminderGrace == null || reminderGrace.isNegative()) {
      throw new IllegalArgumentException("vigil.medication.reminder-grace must not be negative");
    }
    if (consecutiveMisses < 1) {
      throw new IllegalArgumentException("vigil.medication.consecutive-misses must be at least 1");
    }
    if (adherenceThreshold < 0 || adherenceThreshold > 1) {
      throw new IllegalArgumentException(
          "vigil.medication.adherence-threshold is a proportion from 0 to 1");
    }
    if (adherencePeriod == null || adherencePeriod.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException("vigil.medication.adherence-period must be a day or more");
    }
    if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("vigil.medication.check-interval must be positive");
    }
    reminderWebhooks = reminderWebhooks == null ? List.of() : List.copyOf(reminderWebhooks);
    reminderAllowedEndpoints =
        reminderAllowedEndpoints == null ? List.of() : List.copyOf(reminderAllowedEndpoints);
    for (ReminderWebhook hook : reminderWebhooks) {
      if (hook.url() == null || hook.secret() == null || hook.secret().length() < 16) {
        throw new IllegalArgumentException(
            "vigil.medication.reminder-webhooks[]: each needs a url and a secret of 16 characters"
                + " or more");
      }
    }
    if (webhookAttempts < 1) {
      throw new IllegalArgumentException("vigil.medication.webhook-attempts must be at least 1");
    }
  }

  public MatchingRules rules(ZoneId zone) {
    return new MatchingRules(tolerance, lateLimit, zone);
  }
}
