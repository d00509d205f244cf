package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Practitioner;
import org.springframework.stereotype.Component;

/**
 * Nurses and clinicians as Practitioners (id: their username), named by their display name; a
 * disabled account is an inactive Practitioner, so that readings they entered still resolve.
 */
@Component
class PractitionerProvider implements IResourceProvider {

  private final StaffDirectory staff;

  PractitionerProvider(StaffDirectory staff) {
    this.staff = staff;
  }

  @Override
  public Class<Practitioner> getResourceType() {
    return Practitioner.class;
  }

  @Read
  public Practitioner read(@IdParam IdType id) {
    return staff
        .find(id.getIdPart())
        .map(PractitionerProvider::toFhir)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<Practitioner> search(
      @OptionalParam(name = Practitioner.SP_NAME) StringParam name,
      @OptionalParam(name = Practitioner.SP_IDENTIFIER) TokenParam identifier,
      @OptionalParam(name = Practitioner.SP_ACTIVE) TokenParam active) {
    Optional<Boolean> wantActive = Optional.ofNullable(active).map(PractitionerProvider::flag);
    if (identifier != null
        && identifier.getSystem() != null
        && !StaffDirectory.USERNAME_SYSTEM.equals(identifier.getSystem())) {
      return List.of();
    }
    return staff.all().stream()
        .filter(m -> identifier == null || m.id().equals(identifier.getValue()))
        .filter(m ->
            name == null
                || StaffDirectory.nameMatches(
                    m.account().displayName(), name.getValue(), name.isExact()))
        .filter(m -> wantActive.isEmpty() || m.account().enabled() == wantActive.get())
        .map(PractitionerProvider::toFhir)
        .toList();
  }

  private static boolean flag(TokenParam active) {
    return switch (active.getValue()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new InvalidRequestException(
              "active is true or false, not '" + active.getValue() + "'");
    };
  }

  static Practitioner toFhir(StaffDirectory.Member member) {
    Practitioner practitioner = new Practitioner();
    practitioner.setId(member.id());
    practitioner.addIdentifier().setSystem(StaffDirectory.USERNAME_SYSTEM).setValue(member.id());
    practitioner.setActive(member.account().enabled());
    // Vigil keeps one display name, not its parts: it is the name's text
    practitioner.addName().setText(member.account().displayName());
    return practitioner;
  }
}
