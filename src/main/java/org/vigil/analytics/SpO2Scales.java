package org.vigil.analytics;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

/**
 * Which SpO2 scale each patient's NEWS2 uses. Scale 2 is a clinician's prescription (a target of
 * 88–92 %), so every change is audited with who made it. Read on every score, so kept in memory
 * once read.
 */
@Service
public class SpO2Scales {

  private final JdbcTemplate jdbc;
  private final AuditTrail audit;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, SpO2Scale> known = new ConcurrentHashMap<>();

  SpO2Scales(JdbcTemplate jdbc, AuditTrail audit) {
    this.jdbc = jdbc;
    this.audit = audit;
  }

  public SpO2Scale of(String patientId) {
    return known.computeIfAbsent(
        patientId,
        id ->
            jdbc
                .query(
                    "select scale from news2_spo2_scale where patient_id = ?",
                    (rs, row) -> SpO2Scale.ofNumber(rs.getInt(1)),
                    id)
                .stream()
                .findFirst()
                .orElse(SpO2Scale.SCALE_1));
  }

  /** Sets the scale, as the clinician {@code by} prescribed it, in the audit trail. */
  @Transactional
  public void set(String patientId, SpO2Scale scale, AuditAgent by, Optional<String> reason) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    int updated =
        jdbc.update(
            "update news2_spo2_scale set scale = ?, set_by = ?, set_at = ? where patient_id = ?",
            scale.number(),
            by.id(),
            now,
            patientId);
    if (updated == 0) {
      jdbc.update(
          "insert into news2_spo2_scale (patient_id, scale, set_by, set_at) values (?, ?, ?, ?)",
          patientId,
          scale.number(),
          by.id(),
          now);
    }
    audit.record(
        new AuditEntry(
            "rest",
            "U",
            AuditEntry.SUCCESS,
            by,
            Set.of(patientId),
            "set NEWS2 SpO2 scale " + scale.number(),
            reason));
    known.put(patientId, scale);
  }
}
