package org.vigil.fhir;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.patient.Bed;
import org.vigil.patient.PatientRepository;
import org.vigil.security.UserAccounts;

/**
 * Wards (physical type {@code wa}) — those patients lie on and those staff work on — and the beds
 * patients lie in ({@code bd}, part of their ward). Vigil names wards and beds freely ("Ward 7B"),
 * so their ids are the names made into FHIR ids: a space becomes '-', any other character but a
 * letter or digit '.' and its UTF-8 bytes in hex; a bed's id is its ward's, ".bed.", its own.
 */
@Component
class LocationProvider implements IResourceProvider {

  static final String PHYSICAL_TYPE =
      "http://terminology.hl7.org/CodeSystem/location-physical-type";

  private final PatientRepository patients;
  private final UserAccounts users;

  LocationProvider(PatientRepository patients, UserAccounts users) {
    this.patients = patients;
    this.users = users;
  }

  @Override
  public Class<Location> getResourceType() {
    return Location.class;
  }

  @Read
  public Location read(@IdParam IdType id) {
    return all().stream()
        .filter(l -> l.getIdElement().getIdPart().equals(id.getIdPart()))
        .findFirst()
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public List<Location> search(
      @OptionalParam(name = Location.SP_NAME) StringParam name,
      @OptionalParam(name = Location.SP_PARTOF) ReferenceParam partOf,
      @Description(
              shortDefinition =
                  "The physical type: wa (ward) or bd (bed) of "
                      + PHYSICAL_TYPE
                      + "; Vigil's Locations have no other type")
          @OptionalParam(name = Location.SP_TYPE)
          TokenOrListParam type) {
    PractitionerRoleProvider.requireType(partOf, "partof", "Location");
    return all().stream()
        .filter(l -> type == null || hasType(l, type))
        .filter(l ->
            name == null
                || StaffDirectory.nameMatches(l.getName(), name.getValue(), name.isExact()))
        .filter(l ->
            partOf == null
                || l.getPartOf().getReferenceElement().getIdPart() != null
                    && l.getPartOf().getReferenceElement().getIdPart().equals(partOf.getIdPart()))
        .toList();
  }

  /**
   * A ward or bed has one type, its physical type: R4's {@code type} (what is done there) has no
   * code for either, and a search for wards by {@code type} is what clients write, so {@code type}
   * matches the physical type. Any of the values may match (they are OR'ed).
   */
  private static boolean hasType(Location location, TokenOrListParam type) {
    Coding physical = location.getPhysicalType().getCodingFirstRep();
    for (TokenParam token : type.getValuesAsQueryTokens()) {
      if (token.getModifier() != null) {
        throw new InvalidRequestException(
            "type does not support the :" + token.getModifier().getValue() + " modifier");
      }
      // "|wa" asks for a code without a system: Vigil's always have one
      boolean system = token.getSystem() == null || token.getSystem().equals(physical.getSystem());
      if (system && physical.getCode().equals(token.getValue())) {
        return true;
      }
    }
    return false;
  }

  private List<Location> all() {
    TreeSet<String> wards = new TreeSet<>(patients.wards());
    users.wardsByUser().values().forEach(wards::addAll);
    List<Location> locations = new ArrayList<>();
    for (String ward : wards) {
      locations.add(location(wardId(ward), ward, "wa", "Ward"));
    }
    for (Bed bed : patients.beds()) {
      Location location =
          location(wardId(bed.ward()) + ".bed." + wardId(bed.name()), bed.name(), "bd", "Bed");
      location.setPartOf(new Reference("Location/" + wardId(bed.ward())).setDisplay(bed.ward()));
      locations.add(location);
    }
    return locations;
  }

  private static Location location(String id, String name, String type, String display) {
    Location location = new Location();
    location.setId(id);
    location.setName(name);
    location.setStatus(Location.LocationStatus.ACTIVE);
    location.setMode(Location.LocationMode.INSTANCE);
    location.setPhysicalType(new CodeableConcept(new Coding(PHYSICAL_TYPE, type, display)));
    return location;
  }

  /** A ward's (or bed's) name as a FHIR id, one name to one id. */
  static String wardId(String name) {
    StringBuilder id = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 128 && Character.isLetterOrDigit(c)) {
        id.append(c);
      } else if (c == ' ') {
        id.append('-');
      } else {
        id.append('.').append(String.format("%02X", b & 0xff));
      }
    }
    return id.toString();
  }
}
