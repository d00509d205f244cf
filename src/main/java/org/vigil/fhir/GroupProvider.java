package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.vigil.patient.PatientRepository;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;
import org.vigil.security.UserAccounts;

/**
 * Wards as Groups: one per ward ({@code type} person, {@code actual} true), its members the
 * patients on the ward now, its characteristic the ward's {@link LocationProvider Location}; the id
 * is the ward Location's. A ward's patient list is what its staff work from, so a nurse or
 * clinician sees the groups of the wards they work on and no other; a system with a Group read
 * scope sees every ward's; patients none. {@code Group/{id}/$export} exports a ward's patients
 * ({@link BulkExportProvider}).
 */
@Component
class GroupProvider implements IResourceProvider {

  static final String CHARACTERISTIC_SYSTEM =
      "https://vigil.health/fhir/CodeSystem/group-characteristic";

  /** The characteristic every ward's group has: its members lie on the ward it refers to. */
  static final String WARD = "ward";

  /**
   * One ward's patients.
   *
   * @param id the group's (and the ward Location's) id
   * @param name the ward's name
   * @param members the ids of the patients on the ward
   */
  record Ward(String id, String name, SortedSet<String> members) {}

  private final PatientRepository patients;
  private final UserAccounts users;

  GroupProvider(PatientRepository patients, UserAccounts users) {
    this.patients = patients;
    this.users = users;
  }

  @Override
  public Class<Group> getResourceType() {
    return Group.class;
  }

  @Read
  public Group read(@IdParam IdType id, RequestDetails request) {
    Ward ward = find(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    if (!visibleTo(request).test(ward.name())) {
      throw new ForbiddenOperationException(
          "Group/" + ward.id() + " is the patient list of a ward the caller does not work on");
    }
    return toFhir(ward);
  }

  /** Wards' groups the caller may see, by name (as Locations are), member, type or actual. */
  @Search
  public List<Group> search(
      @OptionalParam(name = "name") StringParam name,
      @OptionalParam(name = Group.SP_MEMBER) ReferenceParam member,
      @OptionalParam(name = Group.SP_TYPE) TokenParam type,
      @OptionalParam(name = Group.SP_ACTUAL) TokenParam actual,
      @OptionalParam(name = Group.SP_CHARACTERISTIC) TokenParam characteristic,
      RequestDetails request) {
    PractitionerRoleProvider.requireType(member, "member", "Patient");
    if (actual != null && !Set.of("true", "false").contains(actual.getValue())) {
      throw new InvalidRequestException("actual is true or false, not " + actual.getValue());
    }
    if ((type != null && !Group.GroupType.PERSON.toCode().equals(type.getValue()))
        || (actual != null && !"true".equals(actual.getValue()))
        || (characteristic != null
            && (!WARD.equals(characteristic.getValue())
                || (characteristic.getSystem() != null
                    && !CHARACTERISTIC_SYSTEM.equals(characteristic.getSystem()))))) {
      return List.of();
    }
    Predicate<String> visible = visibleTo(request);
    return wards().stream()
        .filter(w -> visible.test(w.name()))
        .filter(w ->
            name == null || StaffDirectory.nameMatches(w.name(), name.getValue(), name.isExact()))
        .filter(w ->
            member == null
                || (member.getIdPart() != null && w.members().contains(member.getIdPart())))
        .map(GroupProvider::toFhir)
        .toList();
  }

  /** The ward whose group has this id, with its patients now. */
  Optional<Ward> find(String id) {
    return wardNames().stream()
        .filter(name -> LocationProvider.wardId(name).equals(id))
        .findFirst()
        .map(this::ward);
  }

  private List<Ward> wards() {
    return wardNames().stream().map(this::ward).toList();
  }

  /** Wards patients lie on and wards staff work on, as the Locations are. */
  private SortedSet<String> wardNames() {
    TreeSet<String> wards = new TreeSet<>(patients.wards());
    users.wardsByUser().values().forEach(wards::addAll);
    return wards;
  }

  private Ward ward(String name) {
    return new Ward(
        LocationProvider.wardId(name), name, new TreeSet<>(patients.idsOnWards(Set.of(name))));
  }

  /** Which wards' groups the caller sees: a system all, staff their wards', anyone else none. */
  private Predicate<String> visibleTo(RequestDetails request) {
    if (!(request.getUserData().get(PatientCompartmentRules.SCOPE)
        instanceof PatientAccess.Scope scope)) {
      return ward -> false;
    }
    if (scope.allPatients()) {
      return ward -> true;
    }
    if (scope.role().filter(r -> r == Role.NURSE || r == Role.CLINICIAN).isEmpty()) {
      return ward -> false;
    }
    Set<String> theirs =
        users.wardsOf(SecurityContextHolder.getContext().getAuthentication().getName());
    return theirs::contains;
  }

  static Group toFhir(Ward ward) {
    Group group = new Group();
    group.setId(ward.id());
    group.setActive(true);
    group.setType(Group.GroupType.PERSON);
    group.setActual(true);
    group.setName(ward.name());
    group.getCode().setText("Patients on the ward");
    group.setQuantity(ward.members().size());
    group
        .addCharacteristic()
        .setCode(new CodeableConcept(new Coding(CHARACTERISTIC_SYSTEM, WARD, "Ward")))
        .setValue(new Reference("Location/" + ward.id()).setDisplay(ward.name()))
        .setExclude(false);
    for (String patient : ward.members()) {
      group.addMember().setEntity(new Reference("Patient/" + patient));
    }
    return group;
  }
}
