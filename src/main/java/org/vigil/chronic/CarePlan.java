package org.vigil.chronic;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A patient's chronic-care plan: the programs they are in and their personal targets. One per
 * patient; a change makes a new version.
 *
 * @param id the plan's id (its FHIR CarePlan id)
 * @param patientId whose
 * @param active whether the plan is in force ({@code false}: revoked, its rules no longer apply)
 * @param programs the programs
 * @param zone the patient's home time zone: days, mornings and evenings are theirs
 * @param targets the personal targets
 * @param note the clinician's note, if any
 * @param version 1 on creation, one more on each change
 * @param updatedBy who last changed it (username)
 * @param updatedAt when
 */
public record CarePlan(
    long id,
    String patientId,
    boolean active,
    Set<CareProgram> programs,
    ZoneId zone,
    CareTargets targets,
    Optional<String> note,
    int version,
    Instant createdAt,
    String updatedBy,
    Instant updatedAt) {

  public CarePlan {
    Objects.requireNonNull(patientId, "patientId");
    programs = Set.copyOf(programs);
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(note, "note");
  }

  public boolean in(CareProgram program) {
    return active && programs.contains(program);
  }
}
