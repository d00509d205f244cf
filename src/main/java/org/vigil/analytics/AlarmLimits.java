package org.vigil.analytics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
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
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;

/**
 * Each patient's alarm limits, for each vital the first of: a clinician's personal limit for the
 * patient, the patient's ward's own default, Vigil's default below (all changes audited). Vigil's
 * defaults are common bedside-monitor settings (glucose: the consensus CGM ranges), its choice, not
 * a standard; a ward sets its own where its patients differ (a respiratory ward's SpO2, a cardiac
 * ward's heart rate).
 *
 * <p>Limits are looked up for every reading, so they are cached: a patient's personal limits and
 * each ward's until they change here, and which ward a patient is on for {@link #WARD_OF_PATIENT}
 * (a transfer takes that long to bring the new ward's limits).
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

  static final Duration WARD_OF_PATIENT = Duration.ofSeconds(30);

  private final JdbcTemplate jdbc;
  private final AuditTrail audit;
  private final PatientRepository patients;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Map<String, AlarmLimit>> personal = new ConcurrentHashMap<>();
  private final Map<String, Map<String, AlarmLimit>> wards = new ConcurrentHashMap<>();
  private final Cache<String, Optional<String>> wardOf =
      Caffeine.newBuilder().expireAfterWrite(WARD_OF_PATIENT).maximumSize(200_000).build();

  AlarmLimits(JdbcTemplate jdbc, AuditTrail audit, PatientRepository patients) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.patients = patients;
  }

  private static AlarmLimit limit(String code, Double low, Double high) {
    return new AlarmLimit(code, Optional.ofNullable(low), Optional.ofNullable(high), false);
  }

  /** The limits that apply to the patient, by LOINC code. */
  public Map<String, AlarmLimit> of(String patientId) {
    Map<String, AlarmLimit> limits = new HashMap<>(DEFAULTS);
    limits.putAll(wardDefaults(patientId));
    limits.putAll(personalOf(patientId));
    return Map.copyOf(limits);
  }

  public Optional<AlarmLimit> of(String patientId, String code) {
    return Optional.ofNullable(personalOf(patientId).get(code))
        .or(() -> Optional.ofNullable(wardDefaults(patientId).get(code)))
        .or(() -> Optional.ofNullable(DEFAULTS.get(code)));
  }

  /** The limits a ward's patients have unless a clinician set their own, by LOINC code. */
  public Map<String, AlarmLimit> ofWard(String ward) {
    Map<String, AlarmLimit> limits = new HashMap<>(DEFAULTS);
    limits.putAll(wardLimits(ward));
    return Map.copyOf(limits);
  }

  private Map<String, AlarmLimit> wardDefaults(String patientId) {
    return wardOf
        .get(patientId, id -> patients.find(id).flatMap(Patient::ward))
        .map(this::wardLimits)
        .orElse(Map.of());
  }

  private Map<String, AlarmLimit> wardLimits(String ward) {
    return wards.computeIfAbsent(
        ward,
        name -> {
          Map<String, AlarmLimit> found = new HashMap<>();
          jdbc.query(
              "select code, low_limit, high_limit from ward_alarm_limit where ward = ?",
              rs -> {
                String code = rs.getString("code");
                found.put(code, range(rs, code, AlarmLimit.Source.WARD));
              },
              name);
          return Map.copyOf(found);
        });
  }

  private static AlarmLimit range(java.sql.ResultSet rs, String code, AlarmLimit.Source source)
      throws java.sql.SQLException {
    double low = rs.getDouble("low_limit");
    Optional<Double> lowEnd = rs.wasNull() ? Optional.empty() : Optional.of(low);
    double high = rs.getDouble("high_limit");
    Optional<Double> highEnd = rs.wasNull() ? Optional.empty() : Optional.of(high);
    return new AlarmLimit(code, lowEnd, highEnd, source);
  }

  private Map<String, AlarmLimit> personalOf(String patientId) {
    return personal.computeIfAbsent(
        patientId,
        id -> {
          Map<String, AlarmLimit> found = new HashMap<>();
          jdbc.query(
              "select code, low_limit, high_limit from alarm_limit where patient_id = ?",
              rs -> {
                String code = rs.getString("code");
                found.put(code, range(rs, code, AlarmLimit.Source.PERSONAL));
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
    AlarmLimit mine = limit.from(AlarmLimit.Source.PERSONAL);
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

  /** A ward's own default for a vital, replacing Vigil's for its patients, in the audit trail. */
  @Transactional
  public AlarmLimit setForWard(
      String ward, AlarmLimit limit, AuditAgent by, Optional<String> reason) {
    AlarmLimit theirs = limit.from(AlarmLimit.Source.WARD);
    jdbc.update("delete from ward_alarm_limit where ward = ? and code = ?", ward, limit.code());
    jdbc.update(
        "insert into ward_alarm_limit (ward, code, low_limit, high_limit, set_by, set_at, reason)"
            + " values (?, ?, ?, ?, ?, ?, ?)",
        ward,
        limit.code(),
        limit.low().orElse(null),
        limit.high().orElse(null),
        by.id(),
        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
        reason.orElse(null));
    audit.record(
        new AuditEntry(
            "rest",
            "U",
            AuditEntry.SUCCESS,
            by,
            Set.of(),
            "set ward alarm limit "
                + limit.code()
                + " "
                + limit.low().map(String::valueOf).orElse("-")
                + " to "
                + limit.high().map(String::valueOf).orElse("-")
                + " for "
                + ward,
            reason));
    wards.remove(ward);
    return theirs;
  }

  /** Removes a ward's own default: Vigil's applies again to its patients. */
  @Transactional
  public void resetForWard(String ward, String code, AuditAgent by) {
    jdbc.update("delete from ward_alarm_limit where ward = ? and code = ?", ward, code);
    audit.record(
        new AuditEntry(
            "rest",
            "D",
            AuditEntry.SUCCESS,
            by,
            Set.of(),
            "reset ward alarm limit " + code + " for " + ward + " to Vigil's default",
            Optional.empty()));
    wards.remove(ward);
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
