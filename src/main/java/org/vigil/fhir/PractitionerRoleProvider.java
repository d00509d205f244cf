package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * What each nurse or clinician is and where they work: one PractitionerRole per Practitioner (same
 * id), its code the role, its locations the wards they work on. The care teams they belong to are
 * CareTeams naming them as participants (R4's PractitionerRole has no element for them).
 */
@Component
class PractitionerRoleProvider implements IResourceProvider {

  private final StaffDirectory staff;

  PractitionerRoleProvider(StaffDirectory staff) {
    this.staff = staff;
  }

  @Override
  public Class<PractitionerRole> getResourceType() {
    return PractitionerRole.class;
  }

  @Read
  public PractitionerRole read(@IdParam IdType id) {
    return staff
        .find(id.getIdPart())
        .map(PractitionerRoleProvider::toFhir)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<PractitionerRole> search(
      @OptionalParam(name = PractitionerRole.SP_PRACTITIONER) ReferenceParam practitioner,
      @OptionalParam(name = PractitionerRole.SP_LOCATION) ReferenceParam location) {
    requireType(practitioner, "practitioner", "Practitioner");
    requireType(location, "location", "Location");
    if (practitioner != null) {
      return staff.find(practitioner.getIdPart()).stream()
          .filter(m -> location == null || worksAt(m, location.getIdPart()))
          .map(PractitionerRoleProvider::toFhir)
          .toList();
    }
    return staff.all().stream()
        .filter(m -> location == null || worksAt(m, location.getIdPart()))
        .map(PractitionerRoleProvider::toFhir)
        .toList();
  }

  private static boolean worksAt(StaffDirectory.Member member, String location) {
    return member.wards().stream().map(LocationProvider::wardId).anyMatch(location::equals);
  }

  /** A reference parameter names its resource type only to say which: it must be the right one. */
  static void requireType(ReferenceParam reference, String parameter, String type) {
    if (reference != null
        && reference.getResourceType() != null
        && !type.equals(reference.getResourceType())) {
      throw new InvalidRequestException(
          parameter + " must refer to a " + type + ", not " + reference.getResourceType());
    }
    if (reference != null && reference.getChain() != null) {
      throw new InvalidRequestException(parameter + " does not support chained search");
    }
  }

  static PractitionerRole toFhir(StaffDirectory.Member member) {
    PractitionerRole role = new PractitionerRole();
    role.setId(member.id());
    role.setActive(member.account().enabled());
    role.setPractitioner(member.reference());
    role.addCode(member.role());
    for (String ward : member.wards()) {
      role.addLocation(new Reference("Location/" + LocationProvider.wardId(ward)).setDisplay(ward));
    }
    return role;
  }
}
