package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementIds;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * The CapabilityStatement at {@code /fhir/metadata} tells the truth: every interaction, search
 * parameter and operation it lists is exercised and answers successfully (creates and transactions
 * by a nurse, who may write), and what Vigil offers is listed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapabilityStatementIT extends VigilServerTest {

  private static final String PATIENT = "cap-patient";
  private static final IParser FHIR = FhirContext.forR4Cached().newJsonParser();

  /** A value of each search parameter type that a working server accepts. */
  private static final Map<String, String> SAMPLE =
      Map.of(
          "token", "http://loinc.org|8867-4",
          "reference", "Patient/" + PATIENT,
          "date", "ge2026-01-01",
          "string", "x",
          "uri", "urn:x",
          "number", "1",
          "quantity", "1");

  /**
   * Values for parameters that take only some of their type's values: a Flag's status is active or
   * inactive, a Practitioner's active and a Group's actual true or false, and a reference names its
   * own resource type (anything else is a 400 naming the parameter).
   */
  private static final Map<String, String> SAMPLE_OF =
      Map.of(
          "Flag.status", "active",
          "Group.actual", "true",
          "Practitioner.active", "true",
          "PractitionerRole.practitioner", "Practitioner/cap-nurse",
          "PractitionerRole.location", "Location/Ward-7B",
          "Location.partof", "Location/Ward-7B",
          "Subscription.status", "active",
          "Slot.status", "free",
          "Appointment.status", "booked",
          "MedicationRequest.status", "active");

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired MeasurementStore store;
  @Autowired MeasurementIds ids;
  @Autowired org.vigil.alarm.Alarms alarms;
  @Autowired UserAccounts users;
  @Autowired org.vigil.chronic.CarePlans carePlans;
  @Autowired org.vigil.medication.Intakes intakes;

  private VigilApi api;
  private String token;
  private String nurse;
  private String visits;
  private final Map<String, String> anId = new java.util.HashMap<>();

  @BeforeAll
  void data() {
    api = api();
    TestWard ward = new TestWard(patients, devices);
    ward.patient(PATIENT);
    ward.device("cap-monitor", "bedside-monitor", PATIENT);
    Instant now = Instant.now();
    long id = ids.next();
    store.append(
        List.of(
            new Measurement(id, PATIENT, "cap-monitor", "8867-4", 147842, 70, "/min", now, now)));
    token =
        api.token(
            "cap-ehr",
            clients.register(
                "cap-ehr",
                Set.of(
                    "system/*.rs",
                    "system/AuditEvent.rs",
                    "system/Subscription.cruds",
                    "system/Patient.cu",
                    "system/CarePlan.cu"),
                "t"),
            null);
    users.save(new UserAccount("cap-nurse", Role.NURSE, "cap-nurse", Optional.empty(), true), "pw");
    users.setWards("cap-nurse", Set.of("Ward 7B"));
    nurse =
        new WebSignIn(api.base())
            .accessToken(
                "cap-nurse", "pw", "openid user/*.rs user/Observation.c user/MedicationRequest.cu");
    anId.put("Patient", PATIENT);
    anId.put("Practitioner", "cap-nurse");
    anId.put("PractitionerRole", "cap-nurse");
    anId.put("Location", "Ward-7B.bed.Bed-9");
    anId.put("Device", "cap-monitor");
    anId.put("Observation", Long.toString(id));
    long alarm =
        alarms
            .raise(
                PATIENT,
                "news2",
                org.vigil.alarm.AlarmPriority.HIGH,
                "NEWS2 7 (high clinical risk)")
            .id();
    anId.put("Flag", Long.toString(alarm));
    anId.put("Subscription", aSubscription());
    String medicine = aMedicationRequest();
    anId.put("MedicationRequest", medicine);
    anId.put(
        "MedicationAdministration",
        Long.toString(
            intakes
                .record(
                    PATIENT,
                    Optional.of(medicine),
                    org.vigil.medication.IntakeKind.DOSE_DISPENSED,
                    now,
                    "Device/cap-monitor")
                .id()));
    anId.put(
        "MedicationStatement",
        Long.toString(
            intakes
                .record(
                    PATIENT,
                    Optional.of(medicine),
                    org.vigil.medication.IntakeKind.REPORTED_TAKEN,
                    now,
                    "Patient/" + PATIENT)
                .id()));
    long plan =
        carePlans
            .save(
                PATIENT,
                true,
                Set.of(org.vigil.chronic.CareProgram.HYPERTENSION),
                java.time.ZoneOffset.UTC,
                org.vigil.chronic.CareTargets.defaults(Set.of()),
                Optional.empty(),
                org.vigil.audit.AuditAgent.local())
            .id();
    anId.put("CarePlan", Long.toString(plan));
    anId.put("Goal", plan + "-hypertension");
    // video visits: the nurse's schedule, a slot on it, a visit booked into it, and its Encounter
    visits =
        new WebSignIn(api.base())
            .accessToken(
                "cap-nurse",
                "pw",
                "openid user/*.rs user/Appointment.cu user/Schedule.c user/Slot.c");
    anId.put("Schedule", created("Schedule", aSchedule()));
    anId.put("Slot", created("Slot", aSlot()));
    anId.put("Appointment", created("Appointment", anAppointment()));
    String encounter = java.util.UUID.randomUUID().toString();
    // written as a visit writes it when the clinician admits the patient (VisitSignallingIT)
    jdbc.update(
        "insert into visit_encounter (id, appointment_id, patient_id, practitioner, status,"
            + " started_at) values (?, ?, ?, 'cap-nurse', 'in-progress', ?)",
        encounter,
        anId.get("Appointment"),
        PATIENT,
        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
    anId.put("Encounter", encounter);
  }

  /** A medicine the nurse prescribes, as needed (so that no reminder or alarm follows). */
  private String aMedicationRequest() {
    HttpResponse<String> created =
        api.post(
            "/fhir/MedicationRequest", nurse, "application/fhir+json", medicationRequest(null));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return VigilApi.json(created.body()).path("id").asString();
  }

  private static String medicationRequest(String id) {
    org.hl7.fhir.r4.model.MedicationRequest request = new org.hl7.fhir.r4.model.MedicationRequest();
    request.setId(id);
    request.setStatus(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.ACTIVE);
    request.setIntent(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent.ORDER);
    request.setSubject(new Reference("Patient/" + PATIENT));
    request.setMedication(
        new org.hl7.fhir.r4.model.CodeableConcept().setText("Paracetamol 500 mg"));
    request.addDosageInstruction().setAsNeeded(new org.hl7.fhir.r4.model.BooleanType(true));
    return FHIR.encodeResourceToString(request);
  }

  /** A patient of this test's without a care plan yet, for a CarePlan create. */
  private String aPlanlessPatient() {
    String id = "cap-plan-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    new TestWard(patients, devices).patient(id);
    return id;
  }

  /** A hypertension care plan with its blood pressure goal contained. */
  private static org.hl7.fhir.r4.model.CarePlan aCarePlan(String patient) {
    org.hl7.fhir.r4.model.CarePlan plan = new org.hl7.fhir.r4.model.CarePlan();
    plan.setStatus(org.hl7.fhir.r4.model.CarePlan.CarePlanStatus.ACTIVE);
    plan.setIntent(org.hl7.fhir.r4.model.CarePlan.CarePlanIntent.PLAN);
    plan.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
    plan.addCategory()
        .addCoding()
        .setSystem("https://vigil.health/fhir/CodeSystem/care-program")
        .setCode("hypertension");
    org.hl7.fhir.r4.model.Goal goal = new org.hl7.fhir.r4.model.Goal();
    goal.setId("bp");
    goal.addTarget()
        .setMeasure(
            new org.hl7.fhir.r4.model.CodeableConcept(
                new org.hl7.fhir.r4.model.Coding("http://loinc.org", "8480-6", null)))
        .setDetail(new org.hl7.fhir.r4.model.Quantity(135));
    plan.addContained(goal);
    plan.addGoal(new org.hl7.fhir.r4.model.Reference("#bp"));
    return plan;
  }

  @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

  private String created(String type, String body) {
    HttpResponse<String> created = api.post("/fhir/" + type, visits, "application/fhir+json", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return VigilApi.json(created.body()).path("id").asString();
  }

  private static String aSchedule() {
    org.hl7.fhir.r4.model.Schedule schedule = new org.hl7.fhir.r4.model.Schedule();
    schedule.addActor(new org.hl7.fhir.r4.model.Reference("Practitioner/cap-nurse"));
    return FHIR.encodeResourceToString(schedule);
  }

  private String aSlot() {
    org.hl7.fhir.r4.model.Slot slot = new org.hl7.fhir.r4.model.Slot();
    slot.setSchedule(new org.hl7.fhir.r4.model.Reference("Schedule/" + anId.get("Schedule")));
    Instant start = Instant.now().plus(java.time.Duration.ofDays(1));
    slot.setStart(java.util.Date.from(start));
    slot.setEnd(java.util.Date.from(start.plus(java.time.Duration.ofMinutes(15))));
    return FHIR.encodeResourceToString(slot);
  }

  private static String anAppointment() {
    org.hl7.fhir.r4.model.Appointment visit = new org.hl7.fhir.r4.model.Appointment();
    Instant start = Instant.now().plus(java.time.Duration.ofDays(2));
    visit.setStart(java.util.Date.from(start));
    visit.setEnd(java.util.Date.from(start.plus(java.time.Duration.ofMinutes(20))));
    visit.addParticipant().setActor(new org.hl7.fhir.r4.model.Reference("Patient/" + PATIENT));
    visit.addParticipant().setActor(new org.hl7.fhir.r4.model.Reference("Practitioner/cap-nurse"));
    return FHIR.encodeResourceToString(visit);
  }

  /**
   * A Subscription of the EHR's, by its id: a rest-hook to a port where nothing listens, so that it
   * goes to error at its handshake and is still there to be read, searched and deleted.
   */
  private String aSubscription() {
    HttpResponse<String> created =
        api.post("/fhir/Subscription", token, "application/fhir+json", subscription());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return VigilApi.json(created.body()).path("id").asString();
  }

  /** An update of a resource made for the purpose; null for a type this test cannot update. */
  private HttpResponse<String> updateOne(String type) {
    switch (type) {
      case "Patient" -> {
        HttpResponse<String> made =
            api.post(
                "/fhir/Patient",
                token,
                "application/fhir+json",
                FHIR.encodeResourceToString(aPatient(null)));
        String id = VigilApi.json(made.body()).path("id").asString();
        return api.put(
            "/fhir/Patient/" + id,
            token,
            "application/fhir+json",
            FHIR.encodeResourceToString(aPatient(id)));
      }
      case "Subscription" -> {
        String id = aSubscription();
        org.hl7.fhir.r4.model.Subscription paused =
            FHIR.parseResource(org.hl7.fhir.r4.model.Subscription.class, subscription());
        paused.setId(id);
        paused.setStatus(org.hl7.fhir.r4.model.Subscription.SubscriptionStatus.OFF);
        return api.put(
            "/fhir/Subscription/" + id,
            token,
            "application/fhir+json",
            FHIR.encodeResourceToString(paused));
      }
      default -> {
        return null;
      }
    }
  }

  private static String subscription() {
    org.hl7.fhir.r4.model.Subscription subscription = new org.hl7.fhir.r4.model.Subscription();
    subscription.setStatus(org.hl7.fhir.r4.model.Subscription.SubscriptionStatus.REQUESTED);
    subscription.setReason("capability check");
    subscription.setCriteria("Flag?status=active");
    subscription
        .getChannel()
        .setType(org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType.RESTHOOK)
        .setEndpoint("http://127.0.0.1:9/hook/capability-check");
    return FHIR.encodeResourceToString(subscription);
  }

  private CapabilityStatement metadata() {
    return api.fhir(token).capabilities().ofType(CapabilityStatement.class).execute();
  }

  @Test
  void everyInteractionAndSearchParameterListedWorks() {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    CapabilityStatement capabilities = metadata();
    // OperationDefinitions are HAPI's descriptions of the operations the statement lists
    capabilities.getRestFirstRep().getResource().stream()
        .flatMap(r -> r.getOperation().stream())
        .map(o -> o.getDefinition())
        .findFirst()
        .ifPresent(url -> anId.put("OperationDefinition", url.substring(url.lastIndexOf('/') + 1)));
    for (CapabilityStatementRestResourceComponent resource :
        capabilities.getRestFirstRep().getResource()) {
      String type = resource.getType();
      // Observation searches are per patient: name one with every parameter
      String scope = type.equals("Observation") ? "patient=" + PATIENT + "&" : "";
      for (var interaction : resource.getInteraction()) {
        checked++;
        switch (interaction.getCode()) {
          case READ -> expectOk("/fhir/" + type + "/" + readableId(type), broken);
          case VREAD -> expectOk("/fhir/" + type + "/" + readableId(type) + "/_history/1", broken);
          case HISTORYINSTANCE ->
              expectOk("/fhir/" + type + "/" + readableId(type) + "/_history", broken);
          case SEARCHTYPE -> expectOk("/fhir/" + type + "?" + scope + "_count=1", broken);
          case CREATE ->
              expectAnswer(
                  "/fhir/" + type,
                  Set.of("Subscription", "Patient", "CarePlan").contains(type)
                      ? token
                      : Set.of("Schedule", "Slot", "Appointment").contains(type) ? visits : nurse,
                  switch (type) {
                    case "Subscription" -> subscription();
                    case "MedicationRequest" -> medicationRequest(null);
                    case "Patient" -> FHIR.encodeResourceToString(aPatient(null));
                    case "CarePlan" -> FHIR.encodeResourceToString(aCarePlan(aPlanlessPatient()));
                    case "Schedule" -> aSchedule();
                    case "Slot" -> aSlot();
                    case "Appointment" -> anAppointment();
                    default -> FHIR.encodeResourceToString(anObservation());
                  },
                  201,
                  broken);
          case UPDATE -> {
            if (type.equals("MedicationRequest")) {
              String id = aMedicationRequest();
              HttpResponse<String> updated =
                  api.put(
                      "/fhir/MedicationRequest/" + id,
                      nurse,
                      "application/fhir+json",
                      medicationRequest(id));
              if (updated.statusCode() != 200) {
                broken.add("PUT " + type + " -> " + updated.statusCode() + " " + updated.body());
              }
              continue;
            }
            if (type.equals("CarePlan")) {
              HttpResponse<String> updated =
                  api.put(
                      "/fhir/CarePlan/" + anId.get("CarePlan"),
                      token,
                      "application/fhir+json",
                      FHIR.encodeResourceToString(
                          aCarePlan(PATIENT)
                              .setIdElement(
                                  new org.hl7.fhir.r4.model.IdType(anId.get("CarePlan")))));
              if (updated.statusCode() != 200) {
                broken.add("PUT CarePlan -> " + updated.statusCode() + " " + updated.body());
              }
              continue;
            }
            if (type.equals("Appointment")) {
              // cancels one made for the purpose
              String id = created("Appointment", anAppointment());
              var cancelled =
                  FHIR.parseResource(
                      org.hl7.fhir.r4.model.Appointment.class,
                      api.get("/fhir/Appointment/" + id, visits).body());
              cancelled.setStatus(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.CANCELLED);
              HttpResponse<String> updated =
                  api.put(
                      "/fhir/Appointment/" + id,
                      visits,
                      "application/fhir+json",
                      FHIR.encodeResourceToString(cancelled));
              if (updated.statusCode() != 200) {
                broken.add("PUT Appointment -> " + updated.statusCode() + " " + updated.body());
              }
              continue;
            }
            // updates one made for the purpose
            HttpResponse<String> updated = updateOne(type);
            if (updated == null || updated.statusCode() != 200) {
              broken.add(
                  "PUT "
                      + type
                      + " -> "
                      + (updated == null
                          ? "not checked"
                          : updated.statusCode() + " " + updated.body()));
            }
          }
          case DELETE -> {
            // deletes one made for the purpose
            HttpResponse<String> deleted =
                api.delete("/fhir/" + type + "/" + aSubscription(), token);
            if (!type.equals("Subscription") || deleted.statusCode() / 100 != 2) {
              broken.add("DELETE " + type + " -> " + deleted.statusCode() + " " + deleted.body());
            }
          }
          default -> broken.add(type + " " + interaction.getCode().toCode() + " is not checked");
        }
      }
      for (var parameter : resource.getSearchParam()) {
        String name = parameter.getName();
        // a Flag's status is active or inactive; anything else is a 400 naming it
        String value =
            SAMPLE_OF.getOrDefault(
                type + "." + name, SAMPLE.getOrDefault(parameter.getType().toCode(), "x"));
        boolean namesThePatient = Set.of("patient", "subject").contains(name);
        String query =
            type.equals("Observation") && namesThePatient
                ? name + "=" + encode("Patient/" + PATIENT)
                : scope + name + "=" + encode(namesThePatient ? PATIENT : value);
        checked++;
        expectOk("/fhir/" + type + "?" + query, broken);
      }
    }
    for (var interaction : capabilities.getRestFirstRep().getInteraction()) {
      checked++;
      switch (interaction.getCode()) {
        case TRANSACTION -> expectAnswer("/fhir", nurse, bundle("transaction"), 200, broken);
        case BATCH -> expectAnswer("/fhir", nurse, bundle("batch"), 200, broken);
        default -> broken.add("system " + interaction.getCode().toCode() + " is not checked");
      }
    }
    System.out.printf(
        "CapabilityStatement: %d listed interactions and parameters checked%n", checked);
    assertThat(checked).isGreaterThan(10);
    assertThat(broken).isEmpty();
  }

  @Test
  void creatingObservationsTheirVersionsAndTransactionsAndBatchesAreListed() {
    CapabilityStatement capabilities = metadata();
    assertThat(
            capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Observation"))
                .flatMap(r -> r.getInteraction().stream())
                .map(i -> i.getCode().toCode()))
        .contains("create", "read", "vread", "history-instance", "search-type");
    assertThat(capabilities.getRestFirstRep().getInteraction())
        .extracting(i -> i.getCode().toCode())
        .containsExactlyInAnyOrder("transaction", "batch");
  }

  @Test
  void careTeamsAndWardsAreListedWithTheirSearchParameters() {
    CapabilityStatement capabilities = metadata();
    CapabilityStatementRestResourceComponent careTeam = resource(capabilities, "CareTeam");
    assertThat(careTeam.getInteraction())
        .extracting(i -> i.getCode().toCode())
        .containsExactlyInAnyOrder("read", "search-type");
    assertThat(careTeam.getSearchParam())
        .extracting(p -> p.getName())
        .contains("patient", "subject", "participant", "status");
    assertThat(resource(capabilities, "Location").getSearchParam())
        .extracting(p -> p.getName())
        .contains("type", "name", "partof");
  }

  private static CapabilityStatementRestResourceComponent resource(
      CapabilityStatement capabilities, String type) {
    return capabilities.getRestFirstRep().getResource().stream()
        .filter(r -> r.getType().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError(type + " is not listed"));
  }

  /** A Patient with a record number of its own, with this id (for an update) or none. */
  private static org.hl7.fhir.r4.model.Patient aPatient(String id) {
    org.hl7.fhir.r4.model.Patient patient = new org.hl7.fhir.r4.model.Patient();
    patient.setId(id);
    patient
        .addIdentifier()
        .setSystem(PatientProvider.MRN_SYSTEM)
        .setValue("CAP-" + java.util.UUID.randomUUID());
    patient.addName().setFamily("Capability").addGiven("Check");
    return patient;
  }

  @Test
  void patientsAreCreatedAndUpdatedConditionallyAndByIdsTheClientChooses() {
    CapabilityStatementRestResourceComponent patient = resource(metadata(), "Patient");
    assertThat(patient.getInteraction())
        .extracting(i -> i.getCode().toCode())
        .contains("create", "update");
    assertThat(patient.getConditionalCreate()).isTrue();
    assertThat(patient.getConditionalUpdate()).isTrue();
    assertThat(patient.getUpdateCreate()).isTrue();
    assertThat(patient.hasConditionalDelete()).isFalse();
    // readings too are created conditionally on an identifier (ObservationCreateIT), never updated
    CapabilityStatementRestResourceComponent observation = resource(metadata(), "Observation");
    assertThat(observation.getConditionalCreate()).isTrue();
    assertThat(observation.getConditionalUpdate()).isFalse();
  }

  private static Observation anObservation() {
    Observation o = new Observation();
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.getCode().addCoding(new Coding("http://loinc.org", "9279-1", null));
    o.setSubject(new Reference("Patient/" + PATIENT));
    o.setEffective(new DateTimeType(new java.util.Date()));
    o.setValue(
        new Quantity()
            .setValue(java.math.BigDecimal.valueOf(17))
            .setSystem("http://unitsofmeasure.org")
            .setCode("/min"));
    return o;
  }

  private static String bundle(String type) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.fromCode(type));
    bundle
        .addEntry()
        .setResource(anObservation())
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Observation");
    return FHIR.encodeResourceToString(bundle);
  }

  private void expectAnswer(
      String path, String bearer, String body, int status, List<String> broken) {
    HttpResponse<String> response = api.post(path, bearer, "application/fhir+json", body);
    if (response.statusCode() != status || response.body().contains("\"outcome\"")) {
      broken.add("POST " + path + " -> " + response.statusCode() + " " + response.body());
    }
  }

  @Test
  void theOperationsVigilOffersAreListedAndWork() {
    CapabilityStatement capabilities = metadata();
    List<String> observationOperations =
        capabilities.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("Observation"))
            .flatMap(r -> r.getOperation().stream())
            .map(CapabilityStatementRestResourceOperationComponent::getName)
            .toList();
    assertThat(observationOperations).contains("lastn", "stats");
    List<String> patientOperations =
        capabilities.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("Patient"))
            .flatMap(r -> r.getOperation().stream())
            .map(CapabilityStatementRestResourceOperationComponent::getName)
            .toList();
    assertThat(patientOperations).contains("export", "everything");
    assertThat(
            capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Group"))
                .flatMap(r -> r.getOperation().stream())
                .map(CapabilityStatementRestResourceOperationComponent::getName))
        .contains("export");
    assertThat(capabilities.getRestFirstRep().getOperation())
        .extracting(o -> o.getName())
        .contains("export");

    List<String> broken = new ArrayList<>();
    expectOk("/fhir/Observation/$lastn?patient=" + PATIENT, broken);
    expectOk(
        "/fhir/Observation/$stats?patient=" + PATIENT + "&code=8867-4&duration=1&statistic=average",
        broken);
    expectOk("/fhir/Patient/" + PATIENT + "/$everything?_count=10", broken);
    assertThat(broken).isEmpty();
  }

  /**
   * docs/FHIR.md lists what the CapabilityStatement does: each resource's row names its
   * interactions and search parameters, and each operation is in the operations table.
   */
  @Test
  void theFhirPageListsEveryResourceInteractionParameterAndOperation() throws Exception {
    List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("docs/FHIR.md"));
    List<String> missing = new ArrayList<>();
    CapabilityStatement capabilities = metadata();
    for (CapabilityStatementRestResourceComponent resource :
        capabilities.getRestFirstRep().getResource()) {
      String type = resource.getType();
      Optional<String> row =
          lines.stream()
              .filter(l -> l.startsWith("| " + type + " |") || l.startsWith("| " + type + " ("))
              .findFirst();
      if (row.isEmpty()) {
        missing.add(type);
        continue;
      }
      resource.getInteraction().stream()
          .map(i -> i.getCode().toCode())
          .filter(code -> !row.get().contains(code))
          .forEach(code -> missing.add(type + " " + code));
      resource.getSearchParam().stream()
          .map(p -> "`" + p.getName() + "`")
          .filter(name -> !row.get().contains(name))
          .forEach(name -> missing.add(type + " " + name));
      resource.getOperation().stream()
          .map(o -> "`$" + o.getName() + "`")
          .filter(
              name -> lines.stream().noneMatch(l -> l.startsWith("| " + name) && l.contains(type)))
          .forEach(name -> missing.add(type + " " + name));
    }
    capabilities.getRestFirstRep().getOperation().stream()
        .map(o -> "| `$" + o.getName() + "` | system")
        .filter(row -> lines.stream().noneMatch(l -> l.startsWith(row)))
        .forEach(row -> missing.add("system " + row));
    capabilities.getRestFirstRep().getInteraction().stream()
        .map(i -> "| " + i.getCode().toCode() + " |")
        .filter(row -> lines.stream().noneMatch(l -> l.startsWith(row)))
        .forEach(row -> missing.add("system " + row));
    assertThat(missing).as("listed in /fhir/metadata but not in docs/FHIR.md").isEmpty();
  }

  private String readableId(String type) {
    if (anId.containsKey(type)) {
      return anId.get(type);
    }
    HttpResponse<String> search = api.get("/fhir/" + type + "?_count=1", token);
    return VigilApi.json(search.body())
        .path("entry")
        .path(0)
        .path("resource")
        .path("id")
        .asString();
  }

  private void expectOk(String path, List<String> broken) {
    HttpResponse<String> response = api.get(path, token);
    if (response.statusCode() != 200) {
      broken.add(path + " -> " + response.statusCode() + " " + response.body());
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
