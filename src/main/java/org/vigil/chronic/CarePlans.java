package org.vigil.chronic;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.analytics.AlarmLimit;
import org.vigil.analytics.AlarmLimits;
import org.vigil.analytics.News2Monitor;
import org.vigil.analytics.SpO2Scale;
import org.vigil.analytics.SpO2Scales;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.measurement.MeasurementCatalog;

/**
 * Patients' care plans, kept in the database and, once read, in memory (the chronic-care monitor
 * reads a patient's plan on each of their relevant readings). Saving a plan puts its targets into
 * the rules that already exist rather than beside them: the diabetes program's glucose range low
 * end becomes the patient's low glucose alarm limit, and COPD prescribes NEWS2 SpO2 scale 2 with
 * the SpO2 range's low end as the SpO2 alarm limit — each change audited there as well as here.
 */
@Service
public class CarePlans {

  private static final String COLUMNS =
      "id, patient_id, status, programs, time_zone, bp_systolic_below, bp_diastolic_below,"
          + " glucose_low, glucose_high, tir_goal_percent, cgm_interval_minutes, target_weight_kg,"
          + " weight_gain_kg, weight_gain_days, spo2_low, spo2_high, note, version, created_at,"
          + " updated_by, updated_at";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final AuditTrail audit;
  private final AlarmLimits limits;
  private final SpO2Scales scales;
  private final News2Monitor monitor;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Optional<CarePlan>> known = new ConcurrentHashMap<>();

  CarePlans(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      AuditTrail audit,
      AlarmLimits limits,
      SpO2Scales scales,
      News2Monitor monitor) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.audit = audit;
    this.limits = limits;
    this.scales = scales;
    this.monitor = monitor;
  }

  /** The patient's plan, active or not, if they have one. */
  public Optional<CarePlan> of(String patientId) {
    return known.computeIfAbsent(
        patientId,
        id ->
            jdbc
                .query(
                    "select " + COLUMNS + " from care_plan where patient_id = ?",
                    CarePlans::plan,
                    id)
                .stream()
                .findFirst());
  }

  /** The patient's plan if it is in force. */
  public Optional<CarePlan> activeOf(String patientId) {
    return of(patientId).filter(CarePlan::active);
  }

  public Optional<CarePlan> find(long id) {
    return jdbc
        .query("select " + COLUMNS + " from care_plan where id = ?", CarePlans::plan, id)
        .stream()
        .findFirst();
  }

  /** Every plan, for a system's search across patients. */
  public List<CarePlan> all(int max) {
    return jdbc.query(
        "select " + COLUMNS + " from care_plan order by id limit ?", CarePlans::plan, max);
  }

  /**
   * Writes the patient's plan: creates it, or replaces the one they have (a new version), as the
   * clinician {@code by} set it; audited, and its targets put into the patient's alarm rules.
   */
  public CarePlan save(
      String patientId,
      boolean active,
      Set<CareProgram> programs,
      ZoneId zone,
      CareTargets targets,
      Optional<String> note,
      AuditAgent by) {
    Instant now = clock.instant();
    OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    String programList =
        programs.stream().sorted().map(CareProgram::code).collect(Collectors.joining(","));
    Object[] values = {
      active ? "active" : "revoked",
      programList,
      zone.getId(),
      targets.bpSystolicBelow(),
      targets.bpDiastolicBelow(),
      targets.glucoseLow(),
      targets.glucoseHigh(),
      targets.tirGoalPercent(),
      (int) targets.cgmInterval().toMinutes(),
      targets.targetWeightKg().orElse(null),
      targets.weightGain().kg(),
      targets.weightGain().days(),
      targets.spo2Low(),
      targets.spo2High(),
      note.orElse(null),
      by.id(),
      at
    };
    boolean[] created = {false};
    transaction.executeWithoutResult(tx -> {
      int updated =
          jdbc.update(
              "update care_plan set status = ?, programs = ?, time_zone = ?,"
                  + " bp_systolic_below = ?, bp_diastolic_below = ?, glucose_low = ?,"
                  + " glucose_high = ?, tir_goal_percent = ?, cgm_interval_minutes = ?,"
                  + " target_weight_kg = ?, weight_gain_kg = ?, weight_gain_days = ?,"
                  + " spo2_low = ?, spo2_high = ?, note = ?, updated_by = ?, updated_at = ?,"
                  + " version = version + 1 where patient_id = ?",
              append(values, patientId));
      if (updated == 0) {
        created[0] = true;
        jdbc.update(
            "insert into care_plan (status, programs, time_zone, bp_systolic_below,"
                + " bp_diastolic_below, glucose_low, glucose_high, tir_goal_percent,"
                + " cgm_interval_minutes, target_weight_kg, weight_gain_kg, weight_gain_days,"
                + " spo2_low, spo2_high, note, updated_by, updated_at, patient_id, version,"
                + " created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1,"
                + " ?)",
            append(append(values, patientId), at));
      }
    });
    known.remove(patientId);
    CarePlan plan = of(patientId).orElseThrow();
    audit.record(
        new AuditEntry(
            "rest",
            created[0] ? "C" : "U",
            AuditEntry.SUCCESS,
            by,
            Set.of(patientId),
            (created[0] ? "create" : "update")
                + " care plan "
                + plan.id()
                + " version "
                + plan.version()
                + " ("
                + (programList.isEmpty() ? "no programs" : programList)
                + (active ? "" : ", revoked")
                + ")",
            Optional.empty()));
    applyToAlarmRules(plan, by);
    return plan;
  }

  /**
   * The plan's targets as the patient's alarm limits and NEWS2 scale. Only what a program in force
   * prescribes is set; a revoked plan leaves the limits as they are (the clinician resets those
   * they no longer want on the alarm limits page — removing a limit silently would be worse).
   */
  private void applyToAlarmRules(CarePlan plan, AuditAgent by) {
    Optional<String> why = Optional.of("care plan " + plan.id() + " version " + plan.version());
    String patientId = plan.patientId();
    if (plan.in(CareProgram.DIABETES)) {
      for (String code :
          List.of(MeasurementCatalog.GLUCOSE_BLOOD, MeasurementCatalog.GLUCOSE_CAPILLARY)) {
        // The high limit stays the consensus level 2 (250): alarming at the range's high end,
        // 180, would alarm after most meals.
        double high =
            limits.of(patientId, code).flatMap(AlarmLimit::high).orElse(TimeInRange.LEVEL_2_HIGH);
        limits.set(
            patientId,
            new AlarmLimit(
                code,
                Optional.of(plan.targets().glucoseLow()),
                Optional.of(Math.max(high, plan.targets().glucoseLow() + 1)),
                true),
            by,
            why);
        monitor.recheckLimit(patientId, code);
      }
    }
    if (plan.in(CareProgram.COPD)) {
      if (scales.of(patientId) != SpO2Scale.SCALE_2) {
        scales.set(patientId, SpO2Scale.SCALE_2, by, why);
        monitor.rescore(patientId);
      }
      // Only the low end alarms: above 92 % matters on oxygen, which NEWS2 scale 2 already scores;
      // a COPD patient at home on air at 95 % is not in danger.
      limits.set(
          patientId,
          new AlarmLimit(
              MeasurementCatalog.OXYGEN_SATURATION,
              Optional.of(plan.targets().spo2Low()),
              Optional.empty(),
              true),
          by,
          why);
      monitor.recheckLimit(patientId, MeasurementCatalog.OXYGEN_SATURATION);
    }
  }

  private static Object[] append(Object[] values, Object last) {
    Object[] all = Arrays.copyOf(values, values.length + 1);
    all[values.length] = last;
    return all;
  }

  private static CarePlan plan(ResultSet rs, int row) throws SQLException {
    Set<CareProgram> programs = EnumSet.noneOf(CareProgram.class);
    for (String code : rs.getString("programs").split(",")) {
      CareProgram.ofCode(code).ifPresent(programs::add);
    }
    double weight = rs.getDouble("target_weight_kg");
    Optional<Double> targetWeight = rs.wasNull() ? Optional.empty() : Optional.of(weight);
    CareTargets targets =
        new CareTargets(
            rs.getDouble("bp_systolic_below"),
            rs.getDouble("bp_diastolic_below"),
            rs.getDouble("glucose_low"),
            rs.getDouble("glucose_high"),
            rs.getDouble("tir_goal_percent"),
            Duration.ofMinutes(rs.getInt("cgm_interval_minutes")),
            targetWeight,
            new WeightGain(rs.getDouble("weight_gain_kg"), rs.getInt("weight_gain_days")),
            rs.getDouble("spo2_low"),
            rs.getDouble("spo2_high"));
    return new CarePlan(
        rs.getLong("id"),
        rs.getString("patient_id"),
        "active".equals(rs.getString("status")),
        programs,
        ZoneId.of(rs.getString("time_zone")),
        targets,
        Optional.ofNullable(rs.getString("note")),
        rs.getInt("version"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getString("updated_by"),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }
}
