package org.vigil.fhir;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.patient.PatientRepository;
import org.vigil.security.CareTeams;

/**
 * Who looks after each patient, as CareTeams made from what Vigil knows — R4's CareTeam has one
 * subject, so there is one per team and patient:
 *
 * <ul>
 *   <li>a ward's team: for each patient on a ward, the enabled nurses and clinicians who work on
 *       it;
 *   <li>a care team (a diabetes team, a heart failure service): for each of its patients, its
 *       enabled members who are nurses or clinicians.
 * </ul>
 *
 * A team with no such people is no CareTeam. Participants are Practitioners, each with their role.
 * Vigil keeps only current assignments, so every CareTeam is active. Ids are stable: a hash of what
 * the team is (ward or care team, its name or id) and the patient's id, as ward names are free text
 * and a team id with its patient's would not fit in a FHIR id's 64 characters. Who may read which
 * is {@link PatientCompartmentRules}' business: a CareTeam is in its patient's compartment.
 */
@Component
class CareTeamProvider implements IResourceProvider {

  static final String STATUS_SYSTEM = "http://hl7.org/fhir/care-team-status";

  /** LOINC's answers for a care team's category (LL2571-2): a ward's team, a service's. */
  static final String LOINC = "http://loinc.org";

  private static final Coding WARD_CATEGORY =
      new Coding(LOINC, "LA27976-2", "Encounter-focused care team");
  private static final Coding TEAM_CATEGORY =
      new Coding(LOINC, "LA28865-6", "Longitudinal care-coordination focused care team");

  /** A team's people for one patient, before it is made a CareTeam. */
  private record Team(
      String id,
      String name,
      Coding category,
      String patient,
      List<StaffDirectory.Member> people) {}

  private final StaffDirectory staff;
  private final PatientRepository patients;
  private final CareTeams careTeams;

  CareTeamProvider(StaffDirectory staff, PatientRepository patients, CareTeams careTeams) {
    this.staff = staff;
    this.patients = patients;
    this.careTeams = careTeams;
  }

  @Override
  public Class<CareTeam> getResourceType() {
    return CareTeam.class;
  }

  @Read
  public CareTeam read(@IdParam IdType id) {
    // ids are hashes: find the one among all teams (a hospital's patients, thousands at most)
    return teams(Optional.empty()).stream()
        .filter(t -> t.id().equals(id.getIdPart()))
        .findFirst()
        .map(CareTeamProvider::toFhir)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<CareTeam> search(
      @Description(shortDefinition = "The patient the team looks after")
          @OptionalParam(name = CareTeam.SP_PATIENT)
          ReferenceOrListParam patient,
      @Description(shortDefinition = "The patient the team looks after (Vigil has no Groups)")
          @OptionalParam(name = CareTeam.SP_SUBJECT)
          ReferenceOrListParam subject,
      @Description(shortDefinition = "A nurse or clinician in the team (Practitioner)")
          @OptionalParam(name = CareTeam.SP_PARTICIPANT)
          ReferenceOrListParam participant,
      @Description(shortDefinition = "active: Vigil keeps only current teams")
          @OptionalParam(name = CareTeam.SP_STATUS)
          TokenParam status) {
    Optional<Set<String>> forPatients = patientsOf(patient, "patient", Set.of("Patient"));
    Optional<Set<String>> ofSubjects = patientsOf(subject, "subject", Set.of("Patient", "Group"));
    Optional<Set<String>> wanted = forPatients;
    if (ofSubjects.isPresent()) {
      wanted =
          Optional.of(
              wanted
                  .map(p -> p.stream().filter(ofSubjects.get()::contains).collect(toSet()))
                  .orElse(ofSubjects.get()));
    }
    Optional<Set<String>> people = participants(participant);
    if (status != null && !isActive(status)) {
      return List.of();
    }
    return teams(wanted).stream()
        .filter(t ->
            people.isEmpty() || t.people().stream().anyMatch(m -> people.get().contains(m.id())))
        .map(CareTeamProvider::toFhir)
        .toList();
  }

  /**
   * The patient ids a patient or subject parameter names, if it is given; a subject may also be a
   * Group, which no CareTeam of Vigil's is about.
   */
  private static Optional<Set<String>> patientsOf(
      ReferenceOrListParam references, String parameter, Set<String> types) {
    if (references == null) {
      return Optional.empty();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (ReferenceParam reference : references.getValuesAsQueryTokens()) {
      String type = reference.getResourceType();
      if (type != null && !types.contains(type)) {
        PractitionerRoleProvider.requireType(reference, parameter, "Patient");
      }
      if (reference.getChain() != null) {
        throw new InvalidRequestException(parameter + " does not support chained search");
      }
      if (type == null || type.equals("Patient")) {
        ids.add(reference.getIdPart());
      }
    }
    return Optional.of(ids);
  }

  /**
   * The usernames a participant parameter names: a Practitioner, or their PractitionerRole (which
   * has the same id); anything else R4 lets a participant be is never one of Vigil's.
   */
  private static Optional<Set<String>> participants(ReferenceOrListParam references) {
    if (references == null) {
      return Optional.empty();
    }
    Set<String> usernames = new LinkedHashSet<>();
    for (ReferenceParam reference : references.getValuesAsQueryTokens()) {
      if (reference.getChain() != null) {
        throw new InvalidRequestException("participant does not support chained search");
      }
      String type = reference.getResourceType();
      if (type == null || type.equals("Practitioner") || type.equals("PractitionerRole")) {
        usernames.add(reference.getIdPart());
      } else if (!PARTICIPANT_TYPES.contains(type)) {
        throw new InvalidRequestException(
            "participant must refer to a Practitioner, not " + reference.getResourceType());
      }
    }
    return Optional.of(usernames);
  }

  /** What else R4 lets a CareTeam participant be. */
  private static final Set<String> PARTICIPANT_TYPES =
      Set.of("Patient", "RelatedPerson", "Organization", "CareTeam");

  private static boolean isActive(TokenParam status) {
    if (status.getModifier() != null) {
      throw new InvalidRequestException(
          "status does not support the :" + status.getModifier().getValue() + " modifier");
    }
    if (status.getSystem() != null && !status.getSystem().equals(STATUS_SYSTEM)) {
      return false; // another system's code is no CareTeam status
    }
    try {
      return CareTeam.CareTeamStatus.fromCode(status.getValue()) == CareTeam.CareTeamStatus.ACTIVE;
    } catch (Exception e) {
      throw new InvalidRequestException(
          "status is one of proposed, active, suspended, inactive or entered-in-error, not '"
              + status.getValue()
              + "'");
    }
  }

  /** Every team and patient, or those of these patients. */
  private List<Team> teams(Optional<Set<String>> ofPatients) {
    List<StaffDirectory.Member> people =
        staff.all().stream().filter(m -> m.account().enabled()).toList();
    List<Team> teams = new ArrayList<>();
    Collection<String> wards =
        ofPatients.isEmpty()
            ? patients.wards()
            : ofPatients.get().stream()
                .flatMap(id -> patients.find(id).flatMap(p -> p.ward()).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    for (String ward : wards) {
      List<StaffDirectory.Member> onWard =
          people.stream().filter(m -> m.wards().contains(ward)).toList();
      if (onWard.isEmpty()) {
        continue;
      }
      for (String patient : new TreeSet<>(patients.idsOnWards(Set.of(ward)))) {
        if (ofPatients.isEmpty() || ofPatients.get().contains(patient)) {
          teams.add(new Team(id("ward", ward, patient), ward, WARD_CATEGORY, patient, onWard));
        }
      }
    }
    Map<String, StaffDirectory.Member> byUsername =
        people.stream().collect(Collectors.toMap(StaffDirectory.Member::id, Function.identity()));
    for (CareTeams.Team team : careTeams.all()) {
      List<StaffDirectory.Member> members =
          team.members().stream().map(byUsername::get).filter(m -> m != null).toList();
      if (members.isEmpty()) {
        continue;
      }
      for (String patient : team.patients()) {
        if (ofPatients.isEmpty() || ofPatients.get().contains(patient)) {
          teams.add(
              new Team(
                  id("team", team.id(), patient), team.name(), TEAM_CATEGORY, patient, members));
        }
      }
    }
    return teams;
  }

  /** {@code ward-} or {@code team-} and 32 hex digits of a hash of the team and the patient. */
  static String id(String kind, String team, String patient) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((kind + "\n" + team + "\n" + patient).getBytes(StandardCharsets.UTF_8));
      return kind + "-" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static CareTeam toFhir(Team team) {
    CareTeam careTeam = new CareTeam();
    careTeam.setId(team.id());
    careTeam.setStatus(CareTeam.CareTeamStatus.ACTIVE);
    careTeam.addCategory(new CodeableConcept(team.category().copy()));
    careTeam.setName(team.name());
    careTeam.setSubject(new Reference("Patient/" + team.patient()));
    for (StaffDirectory.Member member : team.people()) {
      careTeam.addParticipant().addRole(member.role()).setMember(member.reference());
    }
    return careTeam;
  }

  private static <T> java.util.stream.Collector<T, ?, Set<T>> toSet() {
    return Collectors.toCollection(LinkedHashSet::new);
  }
}
