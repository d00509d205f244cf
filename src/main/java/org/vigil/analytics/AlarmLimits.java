package org.vigil.analytics;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.measurement.MeasurementCatalog;

/**
 * Each patient's alarm limits: the defaults below, with a clinician's personal limits in their
 * place where set (audited). The defaults are common bedside-monitor settings (glucose: the
 * consensus CGM ranges), Vigil's choice, not a standard; a ward's own defaults are not configurable
 * yet.
 */
@Service
public class AlarmLimits {

  /** Default limits for every patient without a personal one. */
  static final Map<String, AlarmLimit> DEFAULTS =
      Map.of(
          MeasurementCatalog.HEART_RATE, limit(MeasurementCatalog.HEART_RATE, 50.0, 120.0),
          MeasurementCatalog.RESPIRATORY_RATE,
              limit(MeasurementCatalog.RESPIRATORY_RATE, 8.0, 25.0),
          MeasurementCatalog.OXYGEN_SATURATION,
              limit(MeasurementCatalog.OXYGEN_SATURATION, 90.0, null),
          MeasurementCatalog.SYSTOLIC_BP, limit(MeasurementCatalog.SYSTOLIC_BP, 90.0, 180.0),
          MeasurementCatalog.BODY_TEMPERATURE,
              limit(MeasurementCatalog.BODY_TEMPERATURE, 35.5, 38.5),
          // The consensus CGM ranges (Battelino 2019): below 70 mg/dL is hypoglycaemia, above
          // 250 the high range that needs acting on.
          MeasurementCatalog.GLUCOSE_BLOOD, limit(MeasurementCatalog.GLUCOSE_BLOOD, 70.0, 250.0),
          MeasurementCatalog.GLUCOSE_CAPILLARY,
              limit(MeasurementCatalog.GLUCOSE_CAPILLARY, 70.0, 250.0));

  private final JdbcTemplate jdbc;
  private final AuditTrail audit;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Map<String, AlarmLimit>> personal = new ConcurrentHashMap<>();

  AlarmLimits(JdbcTemplate jdbc, AuditTrail audit) {
    this.jdbc = jdbc;
    this.audit = audit;
  }

  private static AlarmLimit limit(String code, Double low, Double high) {
    return new AlarmLimit(code, Optional.ofNullable(low), Optional.ofNullable(high), false);
  }

  /** The limits that apply to the patient, by LOINC code. */
  public Map<String, AlarmLimit> of(String patientId) {
    Map<String, AlarmLimit> limits = new HashMap<>(DEFAULTS);
    limits.putAll(personalOf(patientId));
    return Map.copyOf(limits);
  }

  public Optional<AlarmLimit> of(String patientId, String code) {
    return Optional.ofNullable(personalOf(patientId).get(code))
        .or(() -> Optional.ofNullable(DEFAULTS.get(code)));
  }

  private Map<String, AlarmLimit> personalOf(String patientId) {
    return personal.computeIfAbsent(
        patientId,
        id -> {
          Map<String, AlarmLimit> found = new HashMap<>();
          jdbc.query(
              "select code, low_limit, high_limit from alarm_limit where patient_id = ?",
              rs -> {
                double low = rs.getDouble("low_limit");
                Optional<Double> lowEnd = rs.wasNull() ? Optional.empty() : Optional.of(low);
                double high = rs.getDouble("high_limit");
                Optional<Double> highEnd = rs.wasNull() ? Optional.empty() : Optional.of(high);
                String code = rs.getString("code");
                found.put(code, new AlarmLimit(code, lowEnd, highEnd, true));
              },
              id);
          return Map.copyOf(found);
        });
  }

  /** Whether limits can be set for the code: only the vitals Vigil alarms on. */
  public static boolean limitable(String code) {
    return DEFAULTS.containsKey(code)
        || code.equals(MeasurementCatalog.OXYGEN_SATURATION_ARTERIAL)
        || code.equals(MeasurementCatalog.DIASTOLIC_BP);
  }

  /** A clinician's personal limit for the patient, replacing the default, in the audit trail. */
  @Transactional
  public AlarmLimit set(
      String patientId, AlarmLimit limit, AuditAgent by, Optional<String> reason) {
    AlarmLimit mine = new AlarmLimit(limit.code(), limit.low(), limit.high(), true);
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    jdbc.update(
        "delete from alarm_limit where patient_id = ? and code = ?", patientId, limit.code());
    jdbc.update(
        "insert into alarm_limit (patient_id, code, low_limit, high_limit, set_by, set_at, reason)"
            + " values (?, ?, ?, ?, ?, ?, ?)",
        patientId,
        limit.code(),
        limit.low().orElse(null),
        limit.high().orElse(null),
        by.id(),
        now,
        reason.orElse(null));
    audit.record(
        new AuditEntry(
            "rest",
            "U",
            AuditEntry.SUCCESS,
            by,
            Set.of(patientId),
            "set alarm limit "
                + limit.code()
                + " "
                + limit.low().map(String::valueOf).orElse("-")
                + " to "
                + limit.high().map(String::valueOf).orElse("-"),
            reason));
    personal.remove(patientId);
    return mine;
  }

  /** Removes the personal limit: the default applies again. */
  @Transactional
  public void reset(String patientId, String code, AuditAgent by) {
    jdbc.update("delete from alarm_limit where patient_id = ? and code = ?", patientId, code);
    audit.record(
        new AuditEntry(
            "rest",
            "D",
            AuditEntry.SUCCESS,
            by,
            Set.of(patientId),
            "reset alarm limit " + code + " to the default",
            Optional.empty()));
    personal.remove(patientId);
  }
}
