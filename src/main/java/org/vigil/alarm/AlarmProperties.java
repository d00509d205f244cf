package org.vigil.alarm;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How alarms behave.
 *
 * @param clearHoldOff how long a condition must stay clear before its alarm resolves by itself (a
 *     score that dips below a threshold for one reading does not end an alarm)
 * @param clearCheckInterval how often alarms waiting out their hold-off are looked at
 */
@ConfigurationProperties("vigil.alarms")
public record AlarmProperties(
    @DefaultValue("PT2M") Duration clearHoldOff,
    @DefaultValue("PT5S") Duration clearCheckInterval) {

  public AlarmProperties {
    if (clearHoldOff == null || clearHoldOff.isNegative()) {
      throw new IllegalArgumentException("vigil.alarms.clear-hold-off must not be negative");
    }
    if (clearCheckInterval == null
        || clearCheckInterval.isNegative()
        || clearCheckInterval.isZero()) {
      throw new IllegalArgumentException("vigil.alarms.clear-check-interval must be positive");
    }
  }
}
