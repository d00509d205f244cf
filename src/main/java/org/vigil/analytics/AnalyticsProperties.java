package org.vigil.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How NEWS2 is computed.
 *
 * @param deviceFreshness how long a device's reading counts as current (the default: 60
 *     minutes — bedside numerics arrive every second or minute)
 * @param manualFreshness how long a reading a person entered counts (12 hours: ACVPU and oxygen are
 *     charted a few times a day)
 * @param staleCheckInterval how often the patients whose data stopped coming are re-scored, so that
 *     a score goes incomplete when its inputs go stale even without a new reading
 */
@ConfigurationProperties("vigil.analytics")
public record AnalyticsProperties(
    @DefaultValue("PT60M") Duration deviceFreshness,
    @DefaultValue("PT12H") Duration manualFreshness,
    @DefaultValue("PT30S") Duration staleCheckInterval) {

  public AnalyticsProperties {
    requirePositive(deviceFreshness, "vigil.analytics.device-freshness");
    requirePositive(manualFreshness, "vigil.analytics.manual-freshness");
    requirePositive(staleCheckInterval, "vigil.analytics.stale-check-interval");
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
  }

  Duration freshness(VitalReading reading) {
    return reading.manualEntry() ? manualFreshness : deviceFreshness;
  }
}
