package org.vigil.patient;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.testsupport.TestDatabase;

/** The patient repository's contract, on every database Vigil supports. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class JdbcPatientRepositoryIT {

  @Parameter TestDatabase database;

  private TestDatabase.Instance db;
  private PatientRepository patients;

  @BeforeEach
  void createDatabase() {
    db = database.create();
    patients = new JdbcPatientRepository(new JdbcTemplate(db.dataSource()));
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  private static Patient patient(String id, String mrn, String bed) {
    return new Patient(
        id,
        mrn,
        "Okafor",
        "Grace",
        Optional.of(LocalDate.of(1948, 3, 9)),
        "female",
        Optional.of("Ward 7B"),
        Optional.ofNullable(bed),
        Instant.parse("2026-11-24T10:00:00Z"));
  }

  @Test
  void savesFindsAndUpdatesAPatient() {
    patients.save(patient("p1", "MRN-1", "Bed 1"));

    assertThat(patients.find("p1")).contains(patient("p1", "MRN-1", "Bed 1"));
    assertThat(patients.findByMrn("MRN-1")).contains(patient("p1", "MRN-1", "Bed 1"));
    assertThat(patients.find("p2")).isEmpty();

    patients.save(patient("p1", "MRN-1", "Bed 4"));
    assertThat(patients.find("p1").orElseThrow().bed()).contains("Bed 4");
    assertThat(patients.count()).isEqualTo(1);
  }

  @Test
  void keepsMissingValuesMissing() {
    Patient unknownBed =
        new Patient(
            "p1",
            "MRN-1",
            "Okafor",
            "Grace",
            Optional.empty(),
            "unknown",
            Optional.empty(),
            Optional.empty(),
            Instant.parse("2026-11-24T10:00:00Z"));
    patients.save(unknownBed);

    assertThat(patients.find("p1")).contains(unknownBed);
  }

  @Test
  void listsPatientsByWardAndBedInPages() {
    for (int i = 1; i <= 5; i++) {
      patients.save(patient("p" + i, "MRN-" + i, "Bed " + i));
    }

    assertThat(patients.findAll(0, 3)).extracting(Patient::id).containsExactly("p1", "p2", "p3");
    assertThat(patients.findAll(3, 3)).extracting(Patient::id).containsExactly("p4", "p5");
    assertThat(patients.count()).isEqualTo(5);
  }
}
