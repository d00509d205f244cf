package org.vigil.patient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.privacy.FieldReencryption;
import org.vigil.privacy.TinkFieldCipher;
import org.vigil.testsupport.TestDatabase;

/** The patient repository's contract, on every database Vigil supports. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class JdbcPatientRepositoryIT {

  @Parameter TestDatabase database;

  @TempDir Path keys;

  private TestDatabase.Instance db;
  private JdbcTemplate jdbc;
  private TinkFieldCipher cipher;
  private JdbcPatientRepository patients;

  @BeforeEach
  void createDatabase() {
    db = database.create();
    jdbc = new JdbcTemplate(db.dataSource());
    cipher = new TinkFieldCipher(keys);
    patients = new JdbcPatientRepository(jdbc, cipher);
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
  void aCopyOfTheDatabaseRevealsNoNameRecordNumberOrBirthDate() {
    patients.save(patient("p1", "MRN-4471", "Bed 1"));

    String row = jdbc.queryForMap("select * from patient where id = 'p1'").values().toString();
    assertThat(row).doesNotContain("Okafor", "Grace", "MRN-4471", "1948-03-09");
    assertThat(row).contains("Ward 7B", "Bed 1"); // where a patient lies is not secret on the ward
    assertThat(patients.findByMrn("mrn-4471 ")).as("normalized, like a typed search").isPresent();
  }

  @Test
  void aValueMovedToAnotherPatientDoesNotDecrypt() {
    patients.save(patient("p1", "MRN-1", "Bed 1"));
    patients.save(patient("p2", "MRN-2", "Bed 2"));
    jdbc.update(
        "update patient set family_name = (select family_name from patient where id = 'p1')"
            + " where id = 'p2'");

    assertThatThrownBy(() -> patients.find("p2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("patient/p2/family_name does not decrypt")
        .hasMessageNotContaining("Okafor");
  }

  @Test
  void patientsStoredBeforeEncryptionAreEncryptedAndStillFound() {
    jdbc.update(
        "insert into patient (id, mrn, family_name, given_name, birth_date, gender, ward, bed,"
            + " created_at) values ('old', 'MRN-OLD', 'Okafor', 'Grace', DATE '1948-03-09',"
            + " 'female', 'Ward 7B', 'Bed 9', TIMESTAMP WITH TIME ZONE '2026-11-24 10:00:00+00')");

    assertThat(patients.encryptPlaintextRows()).isEqualTo(1);
    assertThat(patients.encryptPlaintextRows()).as("nothing left to do").isZero();

    assertThat(jdbc.queryForMap("select * from patient where id = 'old'").values().toString())
        .doesNotContain("Okafor", "MRN-OLD", "1948-03-09");
    assertThat(patients.findByMrn("MRN-OLD")).contains(patient("old", "MRN-OLD", "Bed 9"));
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

  @Test
  void afterARotationEveryFieldIsReencryptedUnderTheNewKeyAndReadsTheSame() {
    for (int i = 1; i <= 7; i++) {
      patients.save(patient("p" + i, "MRN-" + i, "Bed " + i));
    }
    Patient noBirthDate =
        new Patient(
            "p8",
            "MRN-8",
            "Reid",
            "Sam",
            Optional.empty(),
            "male",
            Optional.empty(),
            Optional.empty(),
            Instant.parse("2026-11-24T10:00:00Z"));
    patients.save(noBirthDate);
    List<Patient> before = patients.findAll(0, 100);
    int oldKey = cipher.primaryKeyId();
    int newKey = cipher.rotate();
    // a node that kept running with the keys as they were before the rotation
    JdbcPatientRepository runningNode = new JdbcPatientRepository(jdbc, new TinkFieldCipher(keys));
    FieldReencryption sweep = new FieldReencryption(List.of(patients));

    FieldReencryption.Report report = sweep.run(3);

    assertThat(report.counts()).containsExactly(new FieldReencryption.Count("patients", 8, 8));
    List<String> ciphertexts =
        jdbc
            .query(
                "select mrn, family_name, given_name, birth_date_sealed from patient",
                (rs, row) ->
                    java.util.stream.Stream.of(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))
                        .filter(java.util.Objects::nonNull)
                        .toList())
            .stream()
            .flatMap(List::stream)
            .toList();
    assertThat(ciphertexts).hasSize(8 * 4 - 1);
    assertThat(ciphertexts).extracting(TinkFieldCipher::keyIdOf).containsOnly(newKey);
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(patients.findAll(0, 100)).isEqualTo(before);
    assertThat(runningNode.findAll(0, 100)).isEqualTo(before);
    for (int i = 1; i <= 8; i++) {
      assertThat(patients.findByMrn("MRN-" + i)).map(Patient::id).contains("p" + i);
    }
    assertThat(sweep.run(3).rewritten()).as("idempotent").isZero();
  }

  @Test
  void reencryptionLeavesPlaintextRowsToTheUpgradeAndNeverDecryptsIntoAnotherRow() {
    patients.save(patient("p1", "MRN-1", "Bed 1"));
    jdbc.update(
        "insert into patient (id, mrn, family_name, given_name, birth_date, gender, ward, bed,"
            + " created_at) values ('old', 'MRN-OLD', 'Okafor', 'Grace', DATE '1948-03-09',"
            + " 'female', 'Ward 7B', 'Bed 9', TIMESTAMP WITH TIME ZONE '2026-11-24 10:00:00+00')");
    cipher.rotate();

    assertThat(patients.reencrypt(Optional.empty(), 10))
        .isEqualTo(new org.vigil.privacy.SealedRecords.Batch(Optional.of("p1"), 1, 1));

    patients.save(patient("p2", "MRN-2", "Bed 2"));
    jdbc.update(
        "update patient set given_name = (select given_name from patient where id = 'p1')"
            + " where id = 'p2'");
    assertThatThrownBy(() -> patients.reencrypt(Optional.empty(), 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("patient/p2/given_name does not decrypt");
  }
}
