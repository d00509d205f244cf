package org.vigil.telemedicine;

import static org.vigil.telemedicine.Schedules.at;
import static org.vigil.telemedicine.Schedules.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vigil.privacy.FieldCipher;
import org.vigil.privacy.SealedRecords;

/**
 * The Encounters of video visits: opened when the clinician admits the patient, finished with the
 * clinician's note when the visit ends. The note is stored sealed, bound to its encounter.
 */
@Service
public class VisitEncounters implements SealedRecords {

  /** The longest note, in characters. */
  static final int MAX_NOTE = 8000;

  private final JdbcTemplate jdbc;
  private final FieldCipher cipher;
  private final Clock clock = Clock.systemUTC();

  VisitEncounters(JdbcTemplate jdbc, FieldCipher cipher) {
    this.jdbc = jdbc;
    this.cipher = cipher;
  }

  /** The visit's encounter, opened now if the visit has none yet (a rejoin keeps the first). */
  @Transactional
  VisitEncounter open(Appointment appointment) {
    Optional<VisitEncounter> existing = ofAppointment(appointment.id());
    if (existing.isPresent()) {
      return existing.get();
    }
    String id = UUID.randomUUID().toString();
    jdbc.update(
        "insert into visit_encounter (id, appointment_id, patient_id, practitioner, status,"
            + " started_at) values (?, ?, ?, ?, 'in-progress', ?)",
        id,
        appointment.id(),
        appointment.patientId(),
        appointment.practitioner(),
        at(clock.instant()));
    return find(id).orElseThrow();
  }

  @Transactional
  VisitEncounter finish(String encounterId, Optional<String> note) {
    jdbc.update(
        "update visit_encounter set status = 'finished', ended_at = ?, note_sealed = ?"
            + " where id = ? and status = 'in-progress'",
        at(clock.instant()),
        note.map(n -> cipher.encrypt(n, context(encounterId))).orElse(null),
        encounterId);
    return find(encounterId).orElseThrow();
  }

  public Optional<VisitEncounter> find(String id) {
    return jdbc
        .query("select * from visit_encounter where id = ?", (rs, n) -> encounter(rs), id)
        .stream()
        .findFirst();
  }

  public Optional<VisitEncounter> ofAppointment(String appointmentId) {
    return jdbc
        .query(
            "select * from visit_encounter where appointment_id = ?",
            (rs, n) -> encounter(rs),
            appointmentId)
        .stream()
        .findFirst();
  }

  public List<VisitEncounter> search(
      Optional<String> patientId,
      Optional<String> appointmentId,
      Optional<String> practitioner,
      int max) {
    StringBuilder sql = new StringBuilder("select * from visit_encounter where 1 = 1");
    List<Object> args = new ArrayList<>();
    patientId.ifPresent(p -> {
      sql.append(" and patient_id = ?");
      args.add(p);
    });
    practitioner.ifPresent(p -> {
      sql.append(" and practitioner = ?");
      args.add(p);
    });
    appointmentId.ifPresent(a -> {
      sql.append(" and appointment_id = ?");
      args.add(a);
    });
    sql.append(" order by started_at desc limit ").append(Math.max(1, Math.min(max, 1000)));
    return jdbc.query(sql.toString(), (rs, n) -> encounter(rs), args.toArray());
  }

  @Override
  public String kind() {
    return "visit notes";
  }

  @Override
  public Batch reencrypt(Optional<String> after, int limit) {
    var rows =
        jdbc.queryForList(
            "select id, note_sealed from visit_encounter where id > ? and note_sealed is not null"
                + " order by id limit ?",
            after.orElse(""),
            limit);
    int rewritten = 0;
    for (var row : rows) {
      String id = (String) row.get("id");
      String sealed = (String) row.get("note_sealed");
      String again = cipher.reencrypt(sealed, context(id));
      if (!again.equals(sealed)
          && jdbc.update(
                  "update visit_encounter set note_sealed = ? where id = ? and note_sealed = ?",
                  again,
                  id,
                  sealed)
              == 1) {
        rewritten++;
      }
    }
    Optional<String> last =
        rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.getLast().get("id"));
    return new Batch(last, rows.size(), rewritten);
  }

  private static String context(String encounterId) {
    return "visit_encounter/" + encounterId + "/note";
  }

  private VisitEncounter encounter(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    String sealed = rs.getString("note_sealed");
    return new VisitEncounter(
        id,
        rs.getString("appointment_id"),
        rs.getString("patient_id"),
        rs.getString("practitioner"),
        rs.getString("status"),
        instant(rs, "started_at"),
        Optional.ofNullable(instant(rs, "ended_at")),
        Optional.ofNullable(sealed).map(s -> cipher.decrypt(s, context(id))));
  }
}
