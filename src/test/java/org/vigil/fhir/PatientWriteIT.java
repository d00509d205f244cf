package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditEvent;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * Patients created and updated over FHIR with HAPI's generic client: plainly, and conditionally by
 * record number (0 matches creates, 1 is the patient, more is 412); invalid Patients are 422 naming
 * the element; systems with Patient write scopes and administrators write, nurses do not; every
 * write is audited with its patient, and reads back as written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientWriteIT extends VigilServerTest {

  private static final String MRN = PatientProvider.MRN_SYSTEM;
  private static final String WEB_SCOPES = "openid user/*.rs user/Patient.cu";

  @Autowired ClientRegistry clients;
  @Autowired UserAccounts users;
  @Autowired PatientRepository patients;
  @Autowired AuditTrail audit;
  @Autowired JdbcTemplate jdbc;

  private VigilApi api;
  private String adt;
  private IGenericClient fhir;
  private String admin;
  private String nurse;

  @BeforeAll
  void callers() {
    api = api();
    adt =
        api.token("pw-adt", clients.register("pw-adt", Set.of("system/Patient.cruds"), "t"), null);
    fhir = api.fhir(adt);
    users.save(new UserAccount("pw-admin", Role.ADMIN, "pw-admin", Optional.empty(), true), "pw");
    admin = new WebSignIn(api.base()).accessToken("pw-admin", "pw", WEB_SCOPES);
    users.save(new UserAccount("pw-nurse", Role.NURSE, "pw-nurse", Optional.empty(), true), "pw");
    users.setWards("pw-nurse", Set.of("PW ward"));
    nurse = new WebSignIn(api.base()).accessToken("pw-nurse", "pw", WEB_SCOPES);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Patient patient(String mrn, String family, String given) {
    Patient p = new Patient();
    p.addIdentifier().setSystem(MRN).setValue(mrn);
    p.addName().setFamily(family).addGiven(given);
    p.setGender(AdministrativeGender.FEMALE);
    p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1948-03-17"));
    return p;
  }

  private Patient read(String id) {
    return fhir.read().resource(Patient.class).withId(id).execute();
  }

  @Test
  void createsAPatientThatReadsBackAsWrittenAndIsStoredSealed() {
    String mrn = unique("PW-C");
    MethodOutcome created = fhir.create().resource(patient(mrn, "Lindqvist", "Åsa")).execute();

    assertThat(created.getCreated()).isTrue();
    String id = created.getId().getIdPart();
    Patient back = read(id);
    assertThat(back.getIdentifierFirstRep().getSystem()).isEqualTo(MRN);
    assertThat(back.getIdentifierFirstRep().getValue()).isEqualTo(mrn);
    assertThat(back.getNameFirstRep().getFamily()).isEqualTo("Lindqvist");
    assertThat(back.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Åsa");
    assertThat(back.getGender()).isEqualTo(AdministrativeGender.FEMALE);
    assertThat(back.getBirthDateElement().getValueAsString()).isEqualTo("1948-03-17");

    org.vigil.patient.Patient stored = patients.find(id).orElseThrow();
    assertThat(stored.familyName()).isEqualTo("Lindqvist");
    assertThat(stored.birthDate()).contains(LocalDate.of(1948, 3, 17));
    assertThat(patients.findByMrn(mrn)).map(org.vigil.patient.Patient::id).contains(id);
    Map<String, Object> row =
        jdbc.queryForMap(
            "select mrn, family_name, given_name, birth_date_sealed from patient where id = ?", id);
    assertThat(row.values())
        .allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(mrn, "Lindqvist", "1948"));
  }

  @Test
  void conditionalCreateCreatesOnceThenAnswersWithTheExistingPatient() {
    String mrn = unique("PW-CC");
    MethodOutcome first =
        fhir.create()
            .resource(patient(mrn, "Okafor", "Chidi"))
            .conditionalByUrl("Patient?identifier=" + MRN + "|" + mrn)
            .execute();
    assertThat(first.getCreated()).isTrue();

    MethodOutcome again =
        fhir.create()
            .resource(patient(mrn, "Someone", "Else"))
            .conditionalByUrl("Patient?identifier=" + MRN + "|" + mrn)
            .execute();
    assertThat(again.getCreated()).isNotEqualTo(Boolean.TRUE);
    assertThat(again.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    assertThat(read(first.getId().getIdPart()).getNameFirstRep().getFamily()).isEqualTo("Okafor");

    HttpResponse<String> raw =
        send(
            "POST",
            "/fhir/Patient",
            adt,
            json(patient(mrn, "Someone", "Else")),
            "If-None-Exist",
            "identifier=" + MRN + "|" + mrn);
    assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
    assertThat(raw.body()).contains("Okafor");
  }

  @Test
  void conditionalWritesMatchingSeveralPatientsAre412() {
    String a = unique("PW-A");
    String b = unique("PW-B");
    fhir.create().resource(patient(a, "One", "A")).execute();
    fhir.create().resource(patient(b, "Two", "B")).execute();
    String both = "Patient?identifier=" + MRN + "|" + a + "," + MRN + "|" + b;

    assertThatThrownBy(() ->
            fhir.create()
                .resource(patient(unique("PW-X"), "X", "X"))
                .conditionalByUrl(both)
                .execute())
        .isInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("2 patients match");
    assertThatThrownBy(
            () -> fhir.update().resource(patient(a, "X", "X")).conditionalByUrl(both).execute())
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(patients.findByMrn(a).orElseThrow().familyName()).isEqualTo("One");
  }

  @Test
  void conditionalUpdateCreatesWhenNoneMatchesAndUpdatesTheOneThatDoes() {
    String mrn = unique("PW-CU");
    String url = "Patient?identifier=" + MRN + "|" + mrn;
    MethodOutcome created =
        fhir.update().resource(patient(mrn, "Novak", "Jana")).conditionalByUrl(url).execute();
    assertThat(created.getCreated()).isTrue();
    String id = created.getId().getIdPart();

    Patient changed = patient(mrn, "Novak-Horvat", "Jana");
    changed.setGender(AdministrativeGender.OTHER);
    MethodOutcome updated = fhir.update().resource(changed).conditionalByUrl(url).execute();

    assertThat(updated.getCreated()).isNotEqualTo(Boolean.TRUE);
    assertThat(updated.getId().getIdPart()).isEqualTo(id);
    Patient back = read(id);
    assertThat(back.getNameFirstRep().getFamily()).isEqualTo("Novak-Horvat");
    assertThat(back.getGender()).isEqualTo(AdministrativeGender.OTHER);
  }

  @Test
  void updateReplacesWhatFhirCarriesAndKeepsTheWardAndBed() {
    String id = unique("pw-ward");
    String mrn = unique("PW-U");
    Instant admitted = Instant.parse("2026-11-30T08:00:00Z");
    patients.save(
        new org.vigil.patient.Patient(
            id,
            mrn,
            "Berg",
            "Ola",
            Optional.empty(),
            "male",
            Optional.of("PW ward"),
            Optional.of("Bed 3"),
            admitted));
    Patient changed = patient(mrn, "Berg", "Ola Johan");
    changed.setId(id);
    changed.setGender(AdministrativeGender.MALE);

    fhir.update().resource(changed).execute();

    org.vigil.patient.Patient stored = patients.find(id).orElseThrow();
    assertThat(stored.givenName()).isEqualTo("Ola Johan");
    assertThat(stored.birthDate()).contains(LocalDate.of(1948, 3, 17));
    assertThat(stored.ward()).contains("PW ward");
    assertThat(stored.bed()).contains("Bed 3");
    assertThat(stored.createdAt()).isEqualTo(admitted);
    assertThat(read(id).getNameFirstRep().getGivenAsSingleString()).isEqualTo("Ola Johan");
  }

  @Test
  void invalidPatientsAre422NamingTheElement() {
    Patient noMrn = patient("x", "Family", "Given");
    noMrn.getIdentifier().clear();
    expect(send("POST", "/fhir/Patient", adt, json(noMrn)), 422, "Patient.identifier");

    String badGender = json(patient(unique("PW-G"), "F", "G")).replace("\"female\"", "\"bogus\"");
    expect(send("POST", "/fhir/Patient", adt, badGender), 422, "Patient.gender");
    String badDate = json(patient(unique("PW-G"), "F", "G")).replace("1948-03-17", "1948-13-45");
    expect(send("POST", "/fhir/Patient", adt, badDate), 422, "Patient.birthDate");

    Patient future = patient(unique("PW-F"), "F", "G");
    future.setBirthDateElement(
        new org.hl7.fhir.r4.model.DateType(LocalDate.now().plusDays(3).toString()));
    expect(send("POST", "/fhir/Patient", adt, json(future)), 422, "Patient.birthDate");

    Patient noFamily = patient(unique("PW-N"), "F", "G");
    noFamily.getNameFirstRep().setFamily(null);
    expect(send("POST", "/fhir/Patient", adt, json(noFamily)), 422, "Patient.name.family");
  }

  @Test
  void anUpdateWhoseIdIsNotTheUrlsIs400() {
    String mrn = unique("PW-I");
    String id = fhir.create().resource(patient(mrn, "F", "G")).execute().getId().getIdPart();
    Patient other = patient(mrn, "F", "G");
    other.setId("someone-else");

    HttpResponse<String> answer = send("PUT", "/fhir/Patient/" + id, adt, json(other));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(patients.find("someone-else")).isEmpty();
  }

  @Test
  void aPlainCreateWithARecordNumberAnotherPatientHasIs409() {
    String mrn = unique("PW-D");
    fhir.create().resource(patient(mrn, "First", "F")).execute();

    assertThatThrownBy(() -> fhir.create().resource(patient(mrn, "Second", "S")).execute())
        .isInstanceOf(ResourceVersionConflictException.class)
        .hasMessageContaining("If-None-Exist");
  }

  @Test
  void administratorsRegisterPatientsWithoutReadingThem() {
    String mrn = unique("PW-ADM");
    HttpResponse<String> created =
        send("POST", "/fhir/Patient", admin, json(patient(mrn, "Ek", "E")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = patients.findByMrn(mrn).orElseThrow().id();
    assertThat(created.body()).doesNotContain("Ek");

    HttpResponse<String> matched =
        send(
            "POST",
            "/fhir/Patient",
            admin,
            json(patient(mrn, "Other", "O")),
            "If-None-Exist",
            "identifier=" + MRN + "|" + mrn);
    assertThat(matched.statusCode()).as(matched.body()).isEqualTo(200);
    assertThat(matched.headers().firstValue("Location").orElse("")).contains("Patient/" + id);
    assertThat(matched.body()).doesNotContain("\"Ek\"");

    Patient renamed = patient(mrn, "Ekström", "E");
    renamed.setId(id);
    HttpResponse<String> updated = send("PUT", "/fhir/Patient/" + id, admin, json(renamed));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(patients.find(id).orElseThrow().familyName()).isEqualTo("Ekström");

    assertThat(send("GET", "/fhir/Patient/" + id, admin, null).statusCode()).isEqualTo(403);
  }

  @Test
  void nursesMayNotCreateOrUpdatePatients() {
    String mrn = unique("PW-NUR");
    assertThatThrownBy(() -> api.fhir(nurse).create().resource(patient(mrn, "F", "G")).execute())
        .isInstanceOf(ForbiddenOperationException.class);
    String id = fhir.create().resource(patient(mrn, "F", "G")).execute().getId().getIdPart();
    Patient changed = patient(mrn, "Changed", "G");
    changed.setId(id);
    assertThatThrownBy(() -> api.fhir(nurse).update().resource(changed).execute())
        .isInstanceOf(ForbiddenOperationException.class);
    assertThat(patients.find(id).orElseThrow().familyName()).isEqualTo("F");
  }

  @Test
  void everyCreateAndUpdateIsAuditedWithItsPatient() {
    String mrn = unique("PW-AUD");
    String id = fhir.create().resource(patient(mrn, "Audit", "A")).execute().getId().getIdPart();
    Patient changed = patient(mrn, "Audited", "A");
    changed.setId(id);
    fhir.update().resource(changed).execute();
    fhir.create()
        .resource(patient(mrn, "Audit", "A"))
        .conditionalByUrl("Patient?identifier=" + MRN + "|" + mrn)
        .execute();
    assertThatThrownBy(() -> api.fhir(nurse).update().resource(changed).execute())
        .isInstanceOf(ForbiddenOperationException.class);

    List<AuditEntry> entries =
        audit.search(AuditQuery.all().forPatient(id).page(0, 100)).stream()
            .map(AuditEvent::entry)
            .toList();
    assertThat(entries)
        .filteredOn(e -> e.agent().id().equals("pw-adt") && e.outcome() == AuditEntry.SUCCESS)
        .extracting(AuditEntry::action)
        .containsExactly("C", "U", "C");
    assertThat(entries)
        .filteredOn(e -> e.agent().id().equals("pw-nurse"))
        .singleElement()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditEntry.MINOR_FAILURE));
  }

  private static void expect(HttpResponse<String> answer, int status, String element) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.body()).contains("OperationOutcome").contains("\"" + element + "\"");
  }

  private static String json(Patient patient) {
    return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(patient);
  }

  private HttpResponse<String> send(
      String method, String path, String token, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(api.base().resolve(path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/fhir+json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/fhir+json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
