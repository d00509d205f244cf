package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.Measurement;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * Nurses enter the readings they take (ACVPU, oxygen, a manual respiratory rate) through the FHIR
 * API with HAPI's generic client: one Observation at a time, or a set in a transaction stored all
 * or nothing; each reading is stored like a device's, read back as the Observation it was, and
 * scored by NEWS2 as device readings are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservationCreateIT extends VigilServerTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String LOINC = "http://loinc.org";
  private static final String UCUM = "http://unitsofmeasure.org";
  private static final String SNOMED = "http://snomed.info/sct";

  private static final String OWN = "cr-bed-1";
  private static final String OWN_UNTOUCHED = "cr-bed-2";
  private static final String OTHER = "cr-other-ward";
  private static final String NEIGHBOUR = "cr-bed-3";
  private static final String NEWS2_PATIENT = "cr-news2";

  @Autowired PatientRepository patients;
  @Autowired UserAccounts users;
  @Autowired ClientRegistry clients;
  @Autowired MeasurementStore store;
  @Autowired AuditTrail audit;
  @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

  private VigilApi api;
  private String nurse;
  private String readOnlyNurse;
  private String patient;
  private String system;

  @BeforeAll
  void ward() {
    api = api();
    admit(OWN, "CR-1");
    admit(OWN_UNTOUCHED, "CR-1");
    admit(NEIGHBOUR, "CR-1");
    admit(OTHER, "CR-2");
    users.save(new UserAccount("cr-nurse", Role.NURSE, "cr-nurse", Optional.empty(), true), "pw-n");
    users.setWards("cr-nurse", Set.of("CR-1"));
    users.save(
        new UserAccount("cr-patient", Role.PATIENT, "cr-patient", Optional.of(OWN), true), "pw-p");
    nurse =
        new WebSignIn(api.base())
            .accessToken("cr-nurse", "pw-n", "openid user/*.rs user/Observation.c");
    readOnlyNurse = new WebSignIn(api.base()).accessToken("cr-nurse", "pw-n", "openid user/*.rs");
    patient =
        new WebSignIn(api.base())
            .accessToken("cr-patient", "pw-p", "openid patient/*.rs user/Observation.c");
    system =
        api.token(
            "cr-ehr", clients.register("cr-ehr", Set.of("system/*.cruds"), "writes all"), null);
  }

  private void admit(String id, String ward) {
    patients.save(
        new Patient(
            id,
            "MRN-" + id,
            "Ekdahl",
            "Maj",
            Optional.empty(),
            "female",
            Optional.of(ward),
            Optional.of("Bed 1"),
            Instant.now()));
  }

  private static Instant minutesAgo(int minutes) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(minutes, ChronoUnit.MINUTES);
  }

  private static Observation observation(String patientId, String loinc, Instant at) {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.getCode().addCoding(new Coding(LOINC, loinc, null));
    o.setSubject(new Reference("Patient/" + patientId));
    o.setEffective(new DateTimeType(Date.from(at)));
    return o;
  }

  private static Observation quantity(
      String patientId, String loinc, double value, String unit, Instant at) {
    Observation o = observation(patientId, loinc, at);
    o.setValue(new Quantity().setValue(BigDecimal.valueOf(value)).setSystem(UCUM).setCode(unit));
    return o;
  }

  private static Observation acvpu(String patientId, String snomedFinding, Instant at) {
    Observation o = observation(patientId, "67775-7", at);
    o.setValue(new CodeableConcept(new Coding(SNOMED, snomedFinding, null)));
    return o;
  }

  private List<Observation> stored(String patientId, String loinc) {
    return api
        .fhir(system)
        .search()
        .forResource(Observation.class)
        .where(Observation.PATIENT.hasId(patientId))
        .and(Observation.CODE.exactly().systemAndCode(LOINC, loinc))
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .stream()
        .map(e -> (Observation) e.getResource())
        .toList();
  }

  @Test
  void aNurseEntersALevelOfConsciousnessThatReadsBackAndIsFound() {
    Instant at = minutesAgo(3);
    IGenericClient fhir = api.fhir(nurse);

    MethodOutcome outcome =
        fhir.create().resource(acvpu(OWN, Consciousness.VOICE.snomedCode(), at)).execute();

    assertThat(outcome.getCreated()).isTrue();
    String id = outcome.getId().getIdPart();
    assertThat(outcome.getId().getResourceType()).isEqualTo("Observation");
    Observation returned = (Observation) outcome.getResource();
    assertThat(returned.getIdPart()).isEqualTo(id);

    Observation read = fhir.read().resource(Observation.class).withId(id).execute();
    assertThat(read.getValueCodeableConcept().getCodingFirstRep().getCode())
        .isEqualTo(Consciousness.VOICE.snomedCode());
    assertThat(read.getValueCodeableConcept().getCodingFirstRep().getSystem()).isEqualTo(SNOMED);
    assertThat(read.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("survey");
    assertThat(read.getPerformerFirstRep().getReference()).isEqualTo("Practitioner/cr-nurse");
    assertThat(read.hasDevice()).isFalse();
    assertThat(read.getEffectiveDateTimeType().getValue().toInstant()).isEqualTo(at);
    ProfileValidator.assertValid(List.of(returned, read));

    assertThat(stored(OWN, "67775-7")).extracting(Observation::getIdPart).contains(id);
    Measurement kept = store.find(Long.parseLong(id)).orElseThrow();
    assertThat(kept.deviceId()).isEqualTo(Measurement.MANUAL_ENTRY_PREFIX + "cr-nurse");
    assertThat(kept.isManualEntry()).isTrue();
    assertThat(kept.value()).isEqualTo(Consciousness.VOICE.ordinal());
    assertThat(kept.unit()).isEqualTo(Consciousness.UNIT);

    assertThat(audit.search(AuditQuery.all().forPatient(OWN).page(0, 1000)))
        .anySatisfy(e -> {
          assertThat(e.entry().action()).isEqualTo("C");
          assertThat(e.entry().what()).startsWith("create Observation");
          assertThat(e.entry().outcome()).isZero();
        });
  }

  /** {@code POST Observation} as the nurse, with {@code If-None-Exist: criteria}. */
  private HttpResponse<String> ifNoneExist(Observation observation, String criteria) {
    return api.post(
        "/fhir/Observation",
        nurse,
        "application/fhir+json",
        FHIR.newJsonParser().encodeResourceToString(observation),
        "If-None-Exist",
        criteria);
  }

  @Test
  void aConditionalCreateOnAnIdentifierStoresTheReadingOnceAndFindsItAfter() {
    IGenericClient fhir = api.fhir(nurse);
    String accession = "urn:oid:1.2.276.0.76.4.17|cr-" + System.nanoTime();
    Observation first = quantity(OWN, "9279-1", 19, "/min", minutesAgo(6));
    first.addIdentifier().setSystem(accession.split("\\|")[0]).setValue(accession.split("\\|")[1]);

    MethodOutcome created =
        fhir.create()
            .resource(first)
            .conditionalByUrl("Observation?identifier=" + accession)
            .execute();
    assertThat(created.getCreated()).isTrue();
    String id = created.getId().getIdPart();

    // the interface engine sends it again (its answer was lost): 200 with the stored one, no copy
    MethodOutcome again =
        fhir.create()
            .resource(quantity(OWN, "9279-1", 19, "/min", minutesAgo(6)))
            .conditionalByUrl("Observation?identifier=" + accession)
            .execute();
    assertThat(again.getCreated()).isNotEqualTo(Boolean.TRUE);
    assertThat(again.getId().getIdPart()).isEqualTo(id);
    assertThat(stored(OWN, "9279-1").stream().filter(o -> o.getIdPart().equals(id))).hasSize(1);
    HttpResponse<String> raw =
        ifNoneExist(quantity(OWN, "9279-1", 19, "/min", minutesAgo(6)), "identifier=" + accession);
    assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
    assertThat(raw.body()).contains("\"id\":\"" + id + "\"");

    // the same identifier for another patient is another reading: identifiers are per patient
    MethodOutcome neighbour =
        fhir.create()
            .resource(quantity(NEIGHBOUR, "9279-1", 17, "/min", minutesAgo(6)))
            .conditionalByUrl("Observation?identifier=" + accession)
            .execute();
    assertThat(neighbour.getCreated()).isTrue();
    assertThat(neighbour.getId().getIdPart()).isNotEqualTo(id);

    // two identifiers naming two readings: 412; criteria other than identifier: 400 naming them
    String second = "urn:oid:1.2.276.0.76.4.17|cr2-" + System.nanoTime();
    fhir.create()
        .resource(quantity(OWN, "9279-1", 21, "/min", minutesAgo(5)))
        .conditionalByUrl("Observation?identifier=" + second)
        .execute();
    HttpResponse<String> both =
        ifNoneExist(
            quantity(OWN, "9279-1", 20, "/min", minutesAgo(5)),
            "identifier=" + accession + "," + second);
    assertThat(both.statusCode()).as(both.body()).isEqualTo(412);
    assertThat(both.body())
        .contains("OperationOutcome")
        .contains("2 of the patient's Observations");
    HttpResponse<String> byCode =
        ifNoneExist(quantity(OWN, "9279-1", 20, "/min", minutesAgo(5)), "code=9279-1");
    assertThat(byCode.statusCode()).as(byCode.body()).isEqualTo(400);
    assertThat(byCode.body()).contains("by identifier").contains("'code'");

    // a nurse of another ward learns nothing of this patient's identifiers: 403 before any match
    HttpResponse<String> outsider =
        ifNoneExist(
            quantity(OTHER, "9279-1", 20, "/min", minutesAgo(5)), "identifier=" + accession);
    assertThat(outsider.statusCode()).as(outsider.body()).isEqualTo(403);
  }

  @Test
  void aCreationUnderWayMakesTheSecond409UntilItIsLetGo() {
    String value = "cr-claim-" + System.nanoTime();
    // another request's claim, its reading not stored yet
    jdbc.update(
        "insert into observation_identifier (patient_id, id_system, id_value, claimed_at)"
            + " values (?, ?, ?, ?)",
        OWN,
        "urn:x",
        value,
        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
    HttpResponse<String> racing =
        ifNoneExist(
            quantity(OWN, "9279-1", 16, "/min", minutesAgo(8)), "identifier=urn:x|" + value);
    assertThat(racing.statusCode()).as(racing.body()).isEqualTo(409);
    assertThat(racing.body()).contains("being created by another request");

    // a claim its node never finished (it stopped mid-way) is let go after a minute
    jdbc.update(
        "update observation_identifier set claimed_at = ? where id_value = ?",
        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
            .minus(ObservationIdentifiers.ABANDONED_AFTER)
            .minusSeconds(1),
        value);
    HttpResponse<String> after =
        ifNoneExist(
            quantity(OWN, "9279-1", 16, "/min", minutesAgo(8)), "identifier=urn:x|" + value);
    assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
    assertThat(
            jdbc.queryForObject(
                "select observation_id from observation_identifier where id_value = ?",
                String.class,
                value))
        .isNotNull();
  }

  @Test
  void aTransactionEntryWithIfNoneExistIsRefusedNotStoredUnconditionally() {
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    transaction
        .addEntry()
        .setResource(quantity(OWN, "9279-1", 18, "/min", minutesAgo(7)))
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Observation")
        .setIfNoneExist("identifier=urn:x|cr-tx");
    HttpResponse<String> answer =
        api.post(
            "/fhir",
            nurse,
            "application/fhir+json",
            FHIR.newJsonParser().encodeResourceToString(transaction));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(answer.body()).contains("ifNoneExist").contains("If-None-Exist");
  }

  @Test
  void answers201WithTheLocationOfTheStoredObservation() {
    String body =
        FHIR.newJsonParser()
            .encodeResourceToString(quantity(OWN, "9279-1", 22, "/min", minutesAgo(4)));

    HttpResponse<String> response =
        api.post("/fhir/Observation", nurse, "application/fhir+json", body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    Observation returned = FHIR.newJsonParser().parseResource(Observation.class, response.body());
    assertThat(response.headers().firstValue("Location").orElseThrow())
        .endsWith("/fhir/Observation/" + returned.getIdPart());
    assertThat(returned.getValueQuantity().getValue().doubleValue()).isEqualTo(22);
    ProfileValidator.assertValid(List.of(returned));
  }

  @Test
  void unitsAreConvertedAsForDevicesAndAcvpuMayBeCodedInSnomed() {
    Instant at = minutesAgo(5);
    IGenericClient fhir = api.fhir(nurse);

    Observation fever =
        (Observation)
            fhir.create()
                .resource(quantity(OWN, "8310-5", 100.4, "[degF]", at))
                .execute()
                .getResource();
    Observation acvpu = acvpu(OWN, Consciousness.ALERT.snomedCode(), at);
    acvpu.getCode().getCoding().clear();
    acvpu.getCode().addCoding(new Coding(SNOMED, Consciousness.SNOMED_SCALE, null));
    Observation alert = (Observation) fhir.create().resource(acvpu).execute().getResource();
    Observation roomAir =
        (Observation)
            fhir.create().resource(quantity(OWN, "3151-8", 0, "L/min", at)).execute().getResource();

    assertThat(fever.getValueQuantity().getValue().doubleValue()).isEqualTo(38.0);
    assertThat(fever.getValueQuantity().getCode()).isEqualTo("Cel");
    assertThat(alert.getCode().getCodingFirstRep().getCode()).isEqualTo("67775-7");
    assertThat(alert.getValueCodeableConcept().getCodingFirstRep().getCode())
        .isEqualTo(Consciousness.ALERT.snomedCode());
    assertThat(roomAir.getValueQuantity().getValue().doubleValue()).isZero();
    ProfileValidator.assertValid(List.of(fever, alert, roomAir));
  }

  /** A nurse's set of NEWS2 observations, as one transaction. */
  private Bundle newsSet(String patientId, Instant at) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (Observation o :
        List.of(
            quantity(patientId, "9279-1", 19, "/min", at),
            quantity(patientId, "59408-5", 95, "%", at),
            quantity(patientId, "3151-8", 2, "L/min", at),
            quantity(patientId, "8480-6", 118, "mm[Hg]", at),
            quantity(patientId, "8867-4", 96, "/min", at),
            acvpu(patientId, Consciousness.ALERT.snomedCode(), at),
            quantity(patientId, "8310-5", 37.9, "Cel", at))) {
      bundle
          .addEntry()
          .setResource(o)
          .getRequest()
          .setMethod(Bundle.HTTPVerb.POST)
          .setUrl("Observation");
    }
    return bundle;
  }

  @Test
  void aTransactionStoresANursesSetOfObservations() {
    Instant at = minutesAgo(6);

    Bundle response = api.fhir(nurse).transaction().withBundle(newsSet(OWN, at)).execute();

    assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
    assertThat(response.getEntry()).hasSize(7);
    assertThat(response.getEntry())
        .allSatisfy(e -> {
          assertThat(e.getResponse().getStatus()).startsWith("201");
          assertThat(e.getResponse().getLocation())
              .isEqualTo("Observation/" + e.getResource().getIdElement().getIdPart());
        });
    ProfileValidator.assertValid(response.getEntry().stream().map(e -> e.getResource()).toList());
    for (String code : List.of("9279-1", "59408-5", "3151-8", "8480-6", "8867-4", "8310-5")) {
      assertThat(stored(OWN, code))
          .as(code)
          .anySatisfy(
              o -> assertThat(o.getEffectiveDateTimeType().getValue().toInstant()).isEqualTo(at));
    }
  }

  @Test
  void aTransactionWithOneBadEntryStoresNothingAndNamesTheEntry() {
    Bundle bundle = newsSet(OWN_UNTOUCHED, minutesAgo(7));
    Observation wrongUnit = (Observation) bundle.getEntry().get(3).getResource();
    wrongUnit.getValueQuantity().setCode("kg");

    OperationOutcome outcome =
        expectError(422, () -> api.fhir(nurse).transaction().withBundle(bundle).execute());

    assertThat(expressions(outcome)).containsExactly("Bundle.entry[3].resource.valueQuantity.code");
    assertThat(stored(OWN_UNTOUCHED, "9279-1")).isEmpty();
    assertThat(stored(OWN_UNTOUCHED, "67775-7")).isEmpty();
  }

  @Test
  void aTransactionMustCreateObservationsOfOnePatient() {
    Bundle noRequest = newsSet(OWN_UNTOUCHED, minutesAgo(8));
    noRequest.getEntry().get(1).setRequest(null);
    OperationOutcome missing =
        expectError(400, () -> api.fhir(nurse).transaction().withBundle(noRequest).execute());
    assertThat(expressions(missing)).containsExactly("Bundle.entry[1].request.method");
    // an update is refused by the scopes first: a nurse's token allows creating Observations only
    Bundle update = newsSet(OWN_UNTOUCHED, minutesAgo(8));
    update.getEntry().get(1).getRequest().setMethod(Bundle.HTTPVerb.PUT);
    expectError(403, () -> api.fhir(nurse).transaction().withBundle(update).execute());

    Bundle twoPatients = newsSet(OWN_UNTOUCHED, minutesAgo(8));
    ((Observation) twoPatients.getEntry().get(2).getResource())
        .setSubject(new Reference("Patient/" + OWN));
    OperationOutcome mixed =
        expectError(422, () -> api.fhir(nurse).transaction().withBundle(twoPatients).execute());
    assertThat(expressions(mixed)).containsExactly("Bundle.entry[2].resource.subject");
    assertThat(stored(OWN_UNTOUCHED, "9279-1")).isEmpty();
  }

  @Test
  void aBatchStoresEachEntryOnItsOwn() {
    Instant at = minutesAgo(9);
    Bundle batch = newsSet(OWN, at).setType(Bundle.BundleType.BATCH);
    ((Observation) batch.getEntry().get(5).getResource())
        .setValue(new CodeableConcept(new Coding(SNOMED, "271594007", "Syncope")));
    ((Observation) batch.getEntry().get(6).getResource())
        .setSubject(new Reference("Patient/" + OTHER));

    Bundle response = api.fhir(nurse).transaction().withBundle(batch).execute();

    assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
    assertThat(response.getEntry()).hasSize(7);
    assertThat(response.getEntry().get(5).getResponse().getStatus()).isEqualTo("422");
    assertThat(
            expressions((OperationOutcome) response.getEntry().get(5).getResponse().getOutcome()))
        .containsExactly("Bundle.entry[5].resource.valueCodeableConcept");
    assertThat(response.getEntry().get(6).getResponse().getStatus()).isEqualTo("403");
    assertThat(
            ((OperationOutcome) response.getEntry().get(6).getResponse().getOutcome())
                .getIssueFirstRep()
                .getDiagnostics())
        .contains("Patient/" + OTHER);
    assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
    assertThat(stored(OWN, "9279-1"))
        .anySatisfy(
            o -> assertThat(o.getEffectiveDateTimeType().getValue().toInstant()).isEqualTo(at));
  }

  @Test
  void anInvalidObservationIs422NamingTheElement() {
    Instant at = minutesAgo(10);
    assertInvalid(quantity(OWN_UNTOUCHED, "1234-5", 1, "/min", at), "Observation.code");
    assertInvalid(
        quantity(OWN_UNTOUCHED, "9279-1", 18, "mm[Hg]", at), "Observation.valueQuantity.code");
    assertInvalid(observation(OWN_UNTOUCHED, "9279-1", at), "Observation.value[x]");
    assertInvalid(acvpu(OWN_UNTOUCHED, "271594007", at), "Observation.valueCodeableConcept");
    assertInvalid(
        quantity(OWN_UNTOUCHED, "67775-7", 0, Consciousness.UNIT, at), "Observation.value[x]");
    assertInvalid(
        quantity(OWN_UNTOUCHED, "9279-1", 18, "/min", Instant.now().plus(2, ChronoUnit.HOURS)),
        "Observation.effectiveDateTime");
    Observation noSubject = quantity(OWN_UNTOUCHED, "9279-1", 18, "/min", at);
    noSubject.setSubject(null);
    assertInvalid(noSubject, "Observation.subject");
    Observation withDevice = quantity(OWN_UNTOUCHED, "9279-1", 18, "/min", at);
    withDevice.setDevice(new Reference("Device/some-monitor"));
    assertInvalid(withDevice, "Observation.device");
    Observation period = quantity(OWN_UNTOUCHED, "9279-1", 18, "/min", at);
    period.setEffective(new Period().setStart(Date.from(at)));
    assertInvalid(period, "Observation.effective[x]");
    Observation preliminary = quantity(OWN_UNTOUCHED, "9279-1", 18, "/min", at);
    preliminary.setStatus(Observation.ObservationStatus.PRELIMINARY);
    assertInvalid(preliminary, "Observation.status");
    Observation someoneElse = quantity(OWN_UNTOUCHED, "9279-1", 18, "/min", at);
    someoneElse.addPerformer(new Reference("Practitioner/another-nurse"));
    assertInvalid(someoneElse, "Observation.performer[0]");

    assertThat(stored(OWN_UNTOUCHED, "9279-1")).isEmpty();
    assertThat(stored(OWN_UNTOUCHED, "67775-7")).isEmpty();
  }

  private void assertInvalid(Observation observation, String expression) {
    OperationOutcome outcome =
        expectError(422, () -> api.fhir(nurse).create().resource(observation).execute());
    assertThat(expressions(outcome))
        .as(outcome.getIssueFirstRep().getDiagnostics())
        .contains(expression);
  }

  @Test
  void malformedInputIs400AndABundleOfAnotherTypeIs422() {
    HttpResponse<String> broken =
        api.post("/fhir/Observation", nurse, "application/fhir+json", "{\"resourceType\":\"Obs");
    assertThat(broken.statusCode()).as(broken.body()).isEqualTo(400);
    assertThat(broken.body()).contains("OperationOutcome");

    HttpResponse<String> brokenBundle =
        api.post("/fhir", nurse, "application/fhir+json", "{\"resourceType\":\"Bundle\",");
    assertThat(brokenBundle.statusCode()).as(brokenBundle.body()).isEqualTo(400);

    // HAPI's own check: a Bundle posted to the base must be a transaction or batch
    HttpResponse<String> notATransaction =
        api.post(
            "/fhir",
            nurse,
            "application/fhir+json",
            "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}");
    assertThat(notATransaction.statusCode()).as(notATransaction.body()).isEqualTo(422);
    assertThat(notATransaction.body()).contains("Bundle.type");
  }

  @Test
  void onlyNursesAndCliniciansMayWriteAndOnlyForTheirPatients() {
    Instant at = minutesAgo(11);
    Observation forOther = quantity(OTHER, "9279-1", 18, "/min", at);
    expectError(403, () -> api.fhir(nurse).create().resource(forOther).execute());
    Bundle otherSet = newsSet(OTHER, at);
    expectError(403, () -> api.fhir(nurse).transaction().withBundle(otherSet).execute());

    Observation forOwn = quantity(OWN_UNTOUCHED, "9279-1", 18, "/min", at);
    expectError(403, () -> api.fhir(readOnlyNurse).create().resource(forOwn).execute());
    Bundle ownSet = newsSet(OWN_UNTOUCHED, at);
    expectError(403, () -> api.fhir(readOnlyNurse).transaction().withBundle(ownSet).execute());
    expectError(403, () -> api.fhir(patient).create().resource(forOwn).execute());
    expectError(403, () -> api.fhir(patient).transaction().withBundle(ownSet).execute());
    expectError(403, () -> api.fhir(system).create().resource(forOwn).execute());
    expectError(401, () -> api.fhir("not-a-token").create().resource(forOwn).execute());

    assertThat(stored(OTHER, "9279-1")).isEmpty();
    assertThat(stored(OWN_UNTOUCHED, "9279-1")).isEmpty();
    assertThat(audit.search(AuditQuery.all().forPatient(OTHER).page(0, 1000)))
        .anySatisfy(e -> {
          assertThat(e.entry().what()).startsWith("create Observation");
          assertThat(e.entry().detail()).hasValueSatisfying(d -> assertThat(d).startsWith("403"));
        });
  }

  @Test
  void aNursesSetEnteredAsATransactionIsScoredByNews2LikeDeviceReadings() throws Exception {
    admit(NEWS2_PATIENT, "CR-1");
    Bundle response =
        api.fhir(nurse).transaction().withBundle(newsSet(NEWS2_PATIENT, minutesAgo(2))).execute();
    List<String> entered =
        response.getEntry().stream()
            .map(e -> "Observation/" + e.getResource().getIdElement().getIdPart())
            .toList();

    // the analytics consumer of the ingest log scores them: RR 19 (0), SpO2 95 (1), oxygen (2),
    // systolic 118 (0), pulse 96 (1), alert (0), 37.9 °C (0)
    Observation score = null;
    for (int attempt = 0; attempt < 100 && score == null; attempt++) {
      if (attempt > 0) {
        Thread.sleep(200);
      }
      score =
          api
              .fhir(nurse)
              .search()
              .byUrl(
                  "Observation?patient="
                      + NEWS2_PATIENT
                      + "&code=http://snomed.info/sct|1104051000000101")
              .returnBundle(Bundle.class)
              .execute()
              .getEntry()
              .stream()
              .map(e -> (Observation) e.getResource())
              .filter(o -> o.getStatus() == Observation.ObservationStatus.FINAL)
              .findFirst()
              .orElse(null);
    }
    assertThat(score).as("a complete NEWS2 score of the entered set").isNotNull();
    assertThat(score.getValueIntegerType().getValue()).isEqualTo(4);
    assertThat(score.getDerivedFrom())
        .extracting(Reference::getReference)
        .containsExactlyInAnyOrderElementsOf(entered);
  }

  private static OperationOutcome expectError(int status, Runnable call) {
    BaseServerResponseException[] thrown = new BaseServerResponseException[1];
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              thrown[0] = e;
              assertThat(e.getStatusCode()).as(e.getMessage()).isEqualTo(status);
            });
    return thrown[0].getOperationOutcome() instanceof OperationOutcome o
        ? o
        : new OperationOutcome();
  }

  private static List<String> expressions(OperationOutcome outcome) {
    return outcome.getIssue().stream()
        .flatMap(i -> i.getExpression().stream())
        .map(StringType::getValue)
        .toList();
  }
}
