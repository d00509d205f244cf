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

@Repository
class JdbcPatientRepository implements PatientRepository {

  private static final String COLUMNS =
      "id, mrn, family_name, given_name, birth_date, gender, ward, bed, created_at";

  private final JdbcTemplate jdbc;

  JdbcPatientRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void save(Patient p) {
    Object[] values = {
      p.mrn(),
      p.familyName(),
      p.givenName(),
      p.birthDate().map(Date::valueOf).orElse(null),
      p.gender(),
      p.ward().orElse(null),
      p.bed().orElse(null),
      p.id()
    };
    int updated =
        jdbc.update(
            "update patient set mrn = ?, family_name = ?, given_name = ?, birth_date = ?,"
                + " gender = ?, ward = ?, bed = ? where id = ?",
            values);
    if (updated == 0) {
      jdbc.update(
          "insert into patient (mrn, family_name, given_name, birth_date, gender, ward, bed, id,"
              + " created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          append(values, OffsetDateTime.ofInstant(p.createdAt(), ZoneOffset.UTC)));
    }
  }

  @Override
  public Optional<Patient> find(String id) {
    return jdbc
        .query(
            "select " + COLUMNS + " from patient where id = ?", JdbcPatientRepository::patient, id)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<Patient> findByMrn(String mrn) {
    return jdbc
        .query(
            "select " + COLUMNS + " from patient where mrn = ?",
            JdbcPatientRepository::patient,
            mrn)
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
  public List<Patient> findAll(int offset, int limit) {
    return jdbc.query(
        "select " + COLUMNS + " from patient order by ward, bed, id limit ? offset ?",
        JdbcPatientRepository::patient,
        limit,
        offset);
  }

  @Override
  public long count() {
    Long count = jdbc.queryForObject("select count(*) from patient", Long.class);
    return count == null ? 0 : count;
  }

  private static Patient patient(ResultSet rs, int row) throws SQLException {
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
  }

  private static Object[] append(Object[] values, Object last) {
    Object[] all = java.util.Arrays.copyOf(values, values.length + 1);
    all[values.length] = last;
    return all;
  }
}
