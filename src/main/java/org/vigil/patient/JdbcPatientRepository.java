package org.vigil.patient;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.vigil.privacy.FieldCipher;
import org.vigil.privacy.SealedRecords;

@Repository
class JdbcPatientRepository implements PatientRepository, SealedRecords {

  private static final String COLUMNS =
      "id, mrn, family_name, given_name, birth_date_sealed, gender, ward, bed, created_at";

  private final JdbcTemplate jdbc;
  private final FieldCipher cipher;

  JdbcPatientRepository(JdbcTemplate jdbc, FieldCipher cipher) {
    this.jdbc = jdbc;
    this.cipher = cipher;
  }

  /**
   * Names, the record number and the birth date are stored encrypted, each bound to its patient and
   * column; the record number is found through its blind index.
   */
  @Override
  public void save(Patient p) {
    Object[] values = {
      seal(p.id(), "mrn", p.mrn()),
      cipher.blindIndex("mrn", p.mrn()),
      seal(p.id(), "family_name", p.familyName()),
      seal(p.id(), "given_name", p.givenName()),
      p.birthDate().map(date -> seal(p.id(), "birth_date", date.toString())).orElse(null),
      p.gender(),
      p.ward().orElse(null),
      p.bed().orElse(null),
      p.id()
    };
    int updated =
        jdbc.update(
            "update patient set mrn = ?, mrn_index = ?, family_name = ?, given_name = ?,"
                + " birth_date_sealed = ?, birth_date = null, gender = ?, ward = ?, bed = ?"
                + " where id = ?",
            values);
    if (updated == 0) {
      jdbc.update(
          "insert into patient (mrn, mrn_index, family_name, given_name, birth_date_sealed,"
              + " gender, ward, bed, id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          append(values, OffsetDateTime.ofInstant(p.createdAt(), ZoneOffset.UTC)));
    }
  }

  /**
   * Encrypts the patients stored before encryption (their blind index is missing) and clears their
   * plaintext. Safe to run again: it finds nothing to do.
   *
   * @return how many patients it encrypted
   */
  public int encryptPlaintextRows() {
    List<Patient> plain =
        jdbc.query(
            "select id, mrn, family_name, given_name, birth_date, gender, ward, bed, created_at"
                + " from patient where mrn_index is null",
            (rs, row) -> {
              Date birth = rs.getDate("birth_date");
              return new Patient(
                  rs.getString("id"),
                  rs.getString("mrn"),
                  rs.getString("family_name"),
                  rs.getString("given_name"),
                  Optional.ofNullable(birth).map(Date::toLocalDate),
                  rs.getString("gender"),
                  Optional.ofNullable(rs.getString("ward")),
                  Optional.ofNullable(rs.getString("bed")),
                  rs.getObject("created_at", OffsetDateTime.class).toInstant());
            });
    plain.forEach(this::save);
    return plain.size();
  }

  @Override
  public String kind() {
    return "patients";
  }

  /**
   * Rewrites a patient only when one of their sealed fields is under an older key, and only if the
   * row still holds what was read: a patient saved meanwhile keeps what that save wrote. Plaintext
   * rows from before encryption are not touched; {@link #encryptPlaintextRows} handles them.
   */
  @Override
  public Batch reencrypt(Optional<String> after, int limit) {
    List<String[]> rows =
        jdbc.query(
            "select id, mrn, family_name, given_name, birth_date_sealed from patient"
                + " where mrn_index is not null and id > ? order by id limit ?",
            (rs, row) ->
                new String[] {
                  rs.getString("id"),
                  rs.getString("mrn"),
                  rs.getString("family_name"),
                  rs.getString("given_name"),
                  rs.getString("birth_date_sealed")
                },
            after.orElse(""),
            limit);
    int rewritten = 0;
    for (String[] stored : rows) {
      String id = stored[0];
      String[] moved = {
        id,
        reseal(id, "mrn", stored[1]),
        reseal(id, "family_name", stored[2]),
        reseal(id, "given_name", stored[3]),
        reseal(id, "birth_date", stored[4])
      };
      if (java.util.Arrays.equals(stored, moved)) {
        continue;
      }
      rewritten +=
          jdbc.update(
              "update patient set mrn = ?, family_name = ?, given_name = ?, birth_date_sealed = ?"
                  + " where id = ? and mrn = ? and family_name = ? and given_name = ?"
                  + " and birth_date_sealed is not distinct from ?",
              moved[1],
              moved[2],
              moved[3],
              moved[4],
              id,
              stored[1],
              stored[2],
              stored[3],
              stored[4]);
    }
    return new Batch(
        rows.isEmpty() ? Optional.empty() : Optional.of(rows.getLast()[0]), rows.size(), rewritten);
  }

  private String reseal(String patientId, String column, String stored) {
    return stored == null ? null : cipher.reencrypt(stored, "patient/" + patientId + "/" + column);
  }

  private String seal(String patientId, String column, String value) {
    return value == null ? null : cipher.encrypt(value, "patient/" + patientId + "/" + column);
  }

  private String open(String patientId, String column, String stored) {
    return stored == null ? null : cipher.decrypt(stored, "patient/" + patientId + "/" + column);
  }

  @Override
  public Optional<Patient> find(String id) {
    return jdbc
        .query("select " + COLUMNS + " from patient where id = ?", this::patient, id)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<Patient> findByMrn(String mrn) {
    return jdbc
        .query(
            "select " + COLUMNS + " from patient where mrn_index = ?",
            this::patient,
            cipher.blindIndex("mrn", mrn))
        .stream()
        .findFirst();
  }

  @Override
  public java.util.Set<String> idsOnWards(java.util.Set<String> wards) {
    if (wards.isEmpty()) {
      return java.util.Set.of();
    }
    return java.util.Set.copyOf(
        jdbc.queryForList(
            "select id from patient where ward in ("
                + String.join(", ", java.util.Collections.nCopies(wards.size(), "?"))
                + ")",
            String.class,
            wards.toArray()));
  }

  @Override
  public java.util.SortedSet<String> wards() {
    return new java.util.TreeSet<>(
        jdbc.queryForList(
            "select distinct ward from patient where ward is not null", String.class));
  }

  @Override
  public List<Bed> beds() {
    return jdbc.query(
        "select distinct ward, bed from patient where ward is not null and bed is not null"
            + " order by ward, bed",
        (rs, row) -> new Bed(rs.getString("ward"), rs.getString("bed")));
  }

  @Override
  public List<Patient> findAll(int offset, int limit) {
    return jdbc.query(
        "select " + COLUMNS + " from patient order by ward, bed, id limit ? offset ?",
        this::patient,
        limit,
        offset);
  }

  @Override
  public long count() {
    Long count = jdbc.queryForObject("select count(*) from patient", Long.class);
    return count == null ? 0 : count;
  }

  private Patient patient(ResultSet rs, int row) throws SQLException {
    String id = rs.getString("id");
    return new Patient(
        id,
        open(id, "mrn", rs.getString("mrn")),
        open(id, "family_name", rs.getString("family_name")),
        open(id, "given_name", rs.getString("given_name")),
        Optional.ofNullable(open(id, "birth_date", rs.getString("birth_date_sealed")))
            .map(java.time.LocalDate::parse),
        rs.getString("gender"),
        Optional.ofNullable(rs.getString("ward")),
        Optional.ofNullable(rs.getString("bed")),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  private static Object[] append(Object[] values, Object last) {
    Object[] all = java.util.Arrays.copyOf(values, values.length + 1);
    all[values.length] = last;
    return all;
  }
}
