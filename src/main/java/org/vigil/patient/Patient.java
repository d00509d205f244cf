package org.vigil.patient;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A patient as Vigil knows them: enough to identify them on a ward and to link readings to them.
 *
 * @param id Vigil's id (the FHIR Patient id)
 * @param mrn the hospital's medical record number
 * @param familyName family name
 * @param givenName given name
 * @param birthDate date of birth, if known
 * @param gender FHIR administrative gender (male, female, other, unknown)
 * @param ward the ward the patient is on, if in hospital
 * @param bed the bed, if in hospital
 * @param createdAt when Vigil first knew the patient
 */
public record Patient(
    String id,
    String mrn,
    String familyName,
    String givenName,
    Optional<LocalDate> birthDate,
    String gender,
    Optional<String> ward,
    Optional<String> bed,
    Instant createdAt) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  public Patient {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "a patient id is 1 to 64 letters, digits, '-' or '.', was '" + id + "'");
    }
    Objects.requireNonNull(mrn, "mrn");
    Objects.requireNonNull(familyName, "familyName");
    Objects.requireNonNull(givenName, "givenName");
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(gender, "gender");
    Objects.requireNonNull(ward, "ward");
    Objects.requireNonNull(bed, "bed");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** Keeps names and dates of birth out of logs. */
  @Override
  public String toString() {
    return "Patient[id=" + id + "]";
  }
}
