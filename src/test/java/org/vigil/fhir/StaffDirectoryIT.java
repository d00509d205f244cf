package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * Nurses and clinicians as Practitioners and PractitionerRoles, and wards and beds as Locations,
 * read with HAPI's generic client: what they say, how they are searched, and who may see them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaffDirectoryIT extends VigilServerTest {

  @Autowired UserAccounts users;
  @Autowired PatientRepository patients;
  @Autowired ClientRegistry clients;

  private IGenericClient system;

  @BeforeAll
  void staff() {
    users.save(
        new UserAccount("dir-okafor", Role.CLINICIAN, "Ada Okafor", Optional.empty(), true), "pw1");
    users.setWards("dir-okafor", Set.of("Ward D2"));
    users.save(
        new UserAccount("dir-lind", Role.NURSE, "Sven Lind", Optional.empty(), true), "pw-lind");
    users.setWards("dir-lind", Set.of("Ward D1"));
    users.save(
        new UserAccount("dir-former", Role.NURSE, "Former Nurse", Optional.empty(), false), "pw");
    users.save(new UserAccount("dir-admin", Role.ADMIN, "Admin", Optional.empty(), true), "pw");
    patients.save(
        new Patient(
            "dir-p1",
            "MRN-dir-p1",
            "Family",
            "Given",
            Optional.empty(),
            "unknown",
            Optional.of("Ward D1"),
            Optional.of("Bed 4"),
            Instant.now()));
    users.save(
        new UserAccount("dir-pat", Role.PATIENT, "Pat", Optional.of("dir-p1"), true), "pw-pat");
    system =
        api()
            .fhir(
                api()
                    .token(
                        "dir-ehr", clients.register("dir-ehr", Set.of("system/*.rs"), "t"), null));
  }

  @Test
  void nursesAndCliniciansArePractitionersNamedAndSearchable() {
    Practitioner okafor = system.read().resource(Practitioner.class).withId("dir-okafor").execute();
    assertThat(okafor.getNameFirstRep().getText()).isEqualTo("Ada Okafor");
    assertThat(okafor.getActive()).isTrue();
    assertThat(okafor.getIdentifierFirstRep().getValue()).isEqualTo("dir-okafor");

    assertThat(ids(search(Practitioner.class, "name=okaf"))).containsExactly("dir-okafor");
    assertThat(ids(search(Practitioner.class, "identifier=urn:vigil:username|dir-lind")))
        .containsExactly("dir-lind");
    assertThat(ids(search(Practitioner.class, "active=false")))
        .contains("dir-former")
        .doesNotContain("dir-okafor", "dir-lind");
    // an administrator or a patient is no Practitioner
    assertThatThrownBy(
            () -> system.read().resource(Practitioner.class).withId("dir-admin").execute())
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> search(Practitioner.class, "active=maybe"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("active");
  }

  @Test
  void rolesSayWhatAndWhereAndWardsHoldTheirBeds() {
    PractitionerRole lind =
        system.read().resource(PractitionerRole.class).withId("dir-lind").execute();
    assertThat(lind.getPractitioner().getReference()).isEqualTo("Practitioner/dir-lind");
    assertThat(lind.getCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("nurse");
    assertThat(lind.getLocation())
        .extracting(l -> l.getReference())
        .containsExactly("Location/Ward-D1");
    assertThat(ids(search(PractitionerRole.class, "location=Location/Ward-D2")))
        .containsExactly("dir-okafor");
    assertThat(
            search(PractitionerRole.class, "practitioner=Practitioner/dir-okafor")
                .getEntryFirstRep()
                .getResource())
        .extracting(r -> ((PractitionerRole) r).getCodeFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("doctor");
    assertThatThrownBy(() -> search(PractitionerRole.class, "practitioner=Patient/dir-p1"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("practitioner");

    Location ward = system.read().resource(Location.class).withId("Ward-D1").execute();
    assertThat(ward.getName()).isEqualTo("Ward D1");
    assertThat(ward.getPhysicalType().getCodingFirstRep().getCode()).isEqualTo("wa");
    Bundle beds = search(Location.class, "partof=Location/Ward-D1");
    assertThat(ids(beds)).containsExactly("Ward-D1.bed.Bed-4");
    Location bed = (Location) beds.getEntryFirstRep().getResource();
    assertThat(bed.getPhysicalType().getCodingFirstRep().getCode()).isEqualTo("bd");
    assertThat(ids(search(Location.class, "name=Ward%20D"))).contains("Ward-D1", "Ward-D2");
    assertThatThrownBy(() -> system.read().resource(Location.class).withId("nowhere").execute())
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void wardsAndBedsAreSearchedByTheirPhysicalType() {
    Bundle wards = search(Location.class, "type=wa");
    assertThat(ids(wards)).contains("Ward-D1", "Ward-D2").doesNotContain("Ward-D1.bed.Bed-4");
    assertThat(wards.getEntry())
        .allSatisfy(e ->
            assertThat(((Location) e.getResource()).getPhysicalType().getCodingFirstRep().getCode())
                .isEqualTo("wa"));
    assertThat(ids(search(Location.class, "type=" + LocationProvider.PHYSICAL_TYPE + "|bd")))
        .contains("Ward-D1.bed.Bed-4")
        .doesNotContain("Ward-D1", "Ward-D2");
    // any of a list; with the ward's part-of for its beds
    assertThat(ids(search(Location.class, "type=wa,bd&name=Ward%20D1"))).containsExactly("Ward-D1");
    assertThat(ids(search(Location.class, "type=bd&partof=Location/Ward-D1")))
        .containsExactly("Ward-D1.bed.Bed-4");
    // another system's code, or a code without a system, is no ward
    assertThat(search(Location.class, "type=http://loinc.org|wa").getEntry()).isEmpty();
    assertThat(search(Location.class, "type=%7Cwa").getEntry()).isEmpty();
    assertThat(search(Location.class, "type=xx").getEntry()).isEmpty();
    assertThatThrownBy(() -> search(Location.class, "type:not=wa"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("type");
  }

  @Test
  void staffReadTheDirectoryPatientsAndNarrowScopesDoNot() {
    IGenericClient nurse =
        api()
            .fhir(
                new WebSignIn(api().base()).accessToken("dir-lind", "pw-lind", "openid user/*.rs"));
    assertThat(nurse.read().resource(Practitioner.class).withId("dir-okafor").execute().getName())
        .isNotEmpty();
    IGenericClient patient =
        api()
            .fhir(
                new WebSignIn(api().base())
                    .accessToken("dir-pat", "pw-pat", "openid patient/*.rs"));
    assertThatThrownBy(
            () -> patient.read().resource(Practitioner.class).withId("dir-okafor").execute())
        .isInstanceOf(ForbiddenOperationException.class);
    IGenericClient observationsOnly =
        api()
            .fhir(
                api()
                    .token(
                        "dir-obs",
                        clients.register("dir-obs", Set.of("system/Observation.rs"), "t"),
                        null));
    assertThatThrownBy(() -> observationsOnly.search().byUrl("Practitioner").execute())
        .isInstanceOf(ForbiddenOperationException.class);
  }

  private Bundle search(Class<?> type, String query) {
    return system
        .search()
        .byUrl(type.getSimpleName() + "?" + query)
        .returnBundle(Bundle.class)
        .execute();
  }

  private static java.util.List<String> ids(Bundle bundle) {
    return bundle.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
  }
}
