package org.vigil.alarm;

import java.util.Optional;
import org.springframework.stereotype.Component;
import org.vigil.analytics.AlarmLimit;
import org.vigil.analytics.LimitListener;
import org.vigil.analytics.VitalReading;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementType;

/**
 * A vital outside the patient's alarm limits is a medium priority alarm, one per vital ({@code
 * limit:8867-4}), after the alarm condition delay; back within the limits, it resolves after the
 * hold-off.
 */
@Component
class LimitAlarms implements LimitListener {

  static final String CONDITION_PREFIX = "limit:";

  private final ConditionDelay delay;
  private final MeasurementCatalog catalog;

  LimitAlarms(ConditionDelay delay, MeasurementCatalog catalog) {
    this.delay = delay;
    this.catalog = catalog;
  }

  @Override
  public void limitCrossed(
      String patientId,
      String code,
      VitalReading reading,
      AlarmLimit limit,
      Optional<AlarmLimit.Breach> breach) {
    String condition = CONDITION_PREFIX + code;
    if (breach.isEmpty()) {
      delay.cleared(patientId, condition);
      return;
    }
    delay.holds(patientId, condition, AlarmPriority.MEDIUM, summary(reading, limit, breach.get()));
  }

  @Override
  public void limitCrossingSuppressed(
      String patientId, String code, VitalReading reading, AlarmLimit limit) {
    delay.suppressed();
  }

  private String summary(VitalReading reading, AlarmLimit limit, AlarmLimit.Breach breach) {
    Optional<MeasurementType> type = catalog.find(reading.code());
    String name = type.map(MeasurementType::display).orElse(reading.code());
    String unit = type.map(MeasurementType::unitDisplay).orElse("");
    double bound =
        breach == AlarmLimit.Breach.BELOW ? limit.low().orElseThrow() : limit.high().orElseThrow();
    return name
        + " "
        + format(reading.value())
        + " "
        + unit
        + (breach == AlarmLimit.Breach.BELOW ? " below " : " above ")
        + switch (limit.source()) {
          case PERSONAL -> "the patient's limit ";
          case WARD -> "the ward's limit ";
          case DEFAULT -> "the default limit ";
        }
        + format(bound);
  }

  private static String format(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
