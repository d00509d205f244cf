package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * Every role against every endpoint family, for a patient the caller should reach and one it should
 * not, over the real HTTP server with real tokens (people sign in through the web app's
 * authorization code flow). Each cell is either allowed (2xx) or denied (401 or 403); the test
 * fails on the first cell that is neither what it should be, and lists them all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired ClientRegistry clients;
  @Autowired org.vigil.chronic.CarePlans carePlans;

  /** Who calls, with their token, and which of the two patients is theirs (if either). */
  private record Caller(String name, String token, Optional<String> own) {}

  /** An endpoint family: the request it makes about a patient. */
  private record Family(String name, BiFunction<String, String, HttpResponse<?>> call) {}

  private final Map<String, String> deviceOf = new LinkedHashMap<>();
  private final Map<String, String> deviceToken = new LinkedHashMap<>();
  private final Map<String, String> observationOf = new LinkedHashMap<>();
  private final Map<String, String> careTeamOf = new LinkedHashMap<>();
  private final List<Caller> callers = new ArrayList<>();

  private static final String A = "mx-patient-a";
  private static final String B = "mx-patient-b";

  @BeforeAll
  void ward() {
    admit(A, "MX-A", "mx-monitor-a");
    admit(B, "MX-B", "mx-monitor-b");
    users.save(user("mx-nurse", Role.NURSE, null), "nurse-password");
    users.setWards("mx-nurse", Set.of("MX-A"));
    users.save(user("mx-doctor", Role.CLINICIAN, null), "doctor-password");
    users.setWards("mx-doctor", Set.of("MX-B"));
    users.save(user("mx-patient", Role.PATIENT, A), "patient-password");
    users.save(user("mx-admin", Role.ADMIN, null), "admin-password");

    String integration =
        api()
            .token(
                "mx-integration",
                clients.register("mx-integration", Set.of("system/*.rs"), "t"),
                null);
    String auditor =
        api()
            .token(
                "mx-auditor",
                clients.register("mx-auditor", Set.of("system/AuditEvent.rs"), "t"),
                null);
    for (String patient : List.of(A, B)) {
      HttpResponse<String> posted =
          api()
              .postJson(
                  "/api/v1/ingest/" + deviceOf.get(patient), deviceToken.get(patient), reading());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
      JsonSearch found =
          new JsonSearch(api().get("/fhir/Observation?patient=" + patient, integration).body());
      observationOf.put(patient, found.firstId());
      careTeamOf.put(
          patient,
          new JsonSearch(api().get("/fhir/CareTeam?patient=" + patient, integration).body())
              .firstId());
    }

    for (String patient : List.of(A, B)) {
      carePlans.save(
          patient,
          true,
          Set.of(org.vigil.chronic.CareProgram.HYPERTENSION),
          java.time.ZoneOffset.UTC,
          org.vigil.chronic.CareTargets.defaults(Set.of()),
          Optional.empty(),
          org.vigil.audit.AuditAgent.local());
    }

    WebSignIn web = new WebSignIn(api().base());
    String scopes = "openid user/*.rs patient/*.rs patient/AuditEvent.rs";
    scopes += " user/Observation.c"; // FHIR write: people ask for it; only staff tokens keep it
    scopes += " user/MedicationRequest.cu"; // prescribing, likewise
    // administration, as the web app asks for everyone: only the roles it is for keep it
    scopes += " user/AuditEvent.rs user/Device.cu user/Patient.cu";
    scopes += " user/Appointment.cu patient/Appointment.cu"; // video visits
    callers.add(new Caller("integration (system/*.rs)", integration, Optional.empty()));
    callers.add(new Caller("auditor (system/AuditEvent.rs)", auditor, Optional.empty()));
    callers.add(
        new Caller(
            "nurse on ward MX-A",
            web.accessToken("mx-nurse", "nurse-password", scopes),
            Optional.of(A)));
    callers.add(
        new Caller(
            "clinician on ward MX-B",
            new WebSignIn(api().base()).accessToken("mx-doctor", "doctor-password", scopes),
            Optional.of(B)));
    callers.add(
        new Caller(
            "patient A",
            new WebSignIn(api().base()).accessToken("mx-patient", "patient-password", scopes),
            Optional.of(A)));
    callers.add(
        new Caller(
            "admin",
            new WebSignIn(api().base()).accessToken("mx-admin", "admin-password", scopes),
            Optional.empty()));
    callers.add(new Caller("device of patient A", deviceToken.get(A), Optional.of(A)));
    callers.add(new Caller("no token", null, Optional.empty()));
  }

  private void admit(String patient, String ward, String device) {
    patients.save(
        new Patient(
            patient,
            "MRN-" + patient,
            "Family",
            "Given",
            Optional.empty(),
            "unknown",
            Optional.of(ward),
            Optional.of("Bed 1"),
            Instant.now()));
    deviceToken.put(patient, devices.register(device, "bedside-monitor", device).token());
    devices.assign(device, patient, Instant.now().minusSeconds(3600));
    deviceOf.put(patient, device);
  }

  private static UserAccount user(String name, Role role, String patient) {
    return new UserAccount(name, role, name, Optional.ofNullable(patient), true);
  }

  private static String reading() {
    return "{\"time\":\""
        + Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS)
        + "\",\"measurements\":[{\"code\":\"8867-4\",\"value\":70,\"unit\":\"/min\"}]}";
  }

  private List<Family> families() {
    VigilApi api = api();
    return List.of(
        new Family("FHIR read Patient", (p, t) -> api.get("/fhir/Patient/" + p, t)),
        new Family(
            "FHIR search Observation", (p, t) -> api.get("/fhir/Observation?patient=" + p, t)),
        new Family(
            "FHIR read Observation",
            (p, t) -> api.get("/fhir/Observation/" + observationOf.get(p), t)),
        new Family(
            "FHIR vread Observation",
            (p, t) -> api.get("/fhir/Observation/" + observationOf.get(p) + "/_history/1", t)),
        new Family(
            "FHIR history of an Observation",
            (p, t) -> api.get("/fhir/Observation/" + observationOf.get(p) + "/_history", t)),
        new Family(
            "FHIR Observation $lastn",
            (p, t) -> api.get("/fhir/Observation/$lastn?patient=" + p, t)),
        new Family(
            "FHIR Observation $stats",
            (p, t) ->
                api.get(
                    "/fhir/Observation/$stats?patient="
                        + p
                        + "&code=8867-4&duration=24&statistic=average",
                    t)),
        new Family("FHIR search Device", (p, t) -> api.get("/fhir/Device?patient=" + p, t)),
        new Family("FHIR search CareTeam", (p, t) -> api.get("/fhir/CareTeam?patient=" + p, t)),
        new Family(
            "FHIR read CareTeam", (p, t) -> api.get("/fhir/CareTeam/" + careTeamOf.get(p), t)),
        new Family("REST read device", (p, t) -> api.get("/api/v1/devices/" + deviceOf.get(p), t)),
        new Family("FHIR search AuditEvent", (p, t) -> api.get("/fhir/AuditEvent?patient=" + p, t)),
        new Family(
            "FHIR write Observation",
            (p, t) -> api.post("/fhir/Observation", t, "application/fhir+json", entered(p))),
        new Family(
            "FHIR create Patient",
            (p, t) ->
                api.post(
                    "/fhir/Patient",
                    t,
                    "application/fhir+json",
                    registered(null, "MX-" + java.util.UUID.randomUUID()))),
        new Family(
            "FHIR update Patient",
            (p, t) ->
                api.put(
                    "/fhir/Patient/" + p, t, "application/fhir+json", registered(p, "MRN-" + p))),
        new Family(
            "FHIR search MedicationRequest",
            (p, t) -> api.get("/fhir/MedicationRequest?patient=" + p, t)),
        new Family(
            "FHIR search MedicationAdministration",
            (p, t) -> api.get("/fhir/MedicationAdministration?patient=" + p, t)),
        new Family(
            "FHIR search MedicationStatement",
            (p, t) -> api.get("/fhir/MedicationStatement?patient=" + p, t)),
        new Family(
            "FHIR create MedicationRequest",
            (p, t) ->
                api.post("/fhir/MedicationRequest", t, "application/fhir+json", prescribed(p))),
        new Family(
            "REST read adherence", (p, t) -> api.get("/api/v1/patients/" + p + "/adherence", t)),
        new Family(
            "REST read medication reminders",
            (p, t) -> api.get("/api/v1/patients/" + p + "/medication-reminders", t)),
        new Family(
            "ingest a reading",
            (p, t) -> api.postJson("/api/v1/ingest/" + deviceOf.get(p), t, reading())));
  }

  /** A medicine taken as needed (so that it makes no reminder or alarm), as prescribed. */
  private static String prescribed(String patient) {
    return "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\","
        + "\"medicationCodeableConcept\":{\"text\":\"Paracetamol 500 mg\"},\"subject\":"
        + "{\"reference\":\"Patient/"
        + patient
        + "\"},\"dosageInstruction\":[{\"asNeededBoolean\":true}]}";
  }

  /** A respiratory rate a nurse counted, as an Observation to create. */
  private static String entered(String patient) {
    return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":"
        + "[{\"system\":\"http://loinc.org\",\"code\":\"9279-1\"}]},\"subject\":"
        + "{\"reference\":\"Patient/"
        + patient
        + "\"},\"effectiveDateTime\":\""
        + Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS)
        + "\",\"valueQuantity\":{\"value\":18,\"system\":\"http://unitsofmeasure.org\","
        + "\"code\":\"/min\"}}";
  }

  /**
   * A Patient as an administrator registers it: for an update, what {@link #admit} stored, so that
   * the matrix changes no one.
   */
  private static String registered(String id, String mrn) {
    return "{\"resourceType\":\"Patient\","
        + (id == null ? "" : "\"id\":\"" + id + "\",")
        + "\"identifier\":[{\"system\":\"urn:vigil:mrn\",\"value\":\""
        + mrn
        + "\"}],\"name\":[{\"family\":\"Family\",\"given\":[\"Given\"]}],"
        + "\"gender\":\"unknown\"}";
  }

  /** What each caller may do: the matrix's expected answers. */
  private static boolean allowed(Caller caller, String family, boolean ownPatient) {
    if (family.equals("FHIR create Patient") || family.equals("FHIR update Patient")) {
      // registering patients is administration: an integration that only reads may not either
      return caller.name().equals("admin");
    }
    if (family.equals("FHIR create MedicationRequest")) {
      // prescribing is for the staff looking after the patient
      return ownPatient && caller.name().matches("(nurse|clinician) on ward .*");
    }
    if (family.startsWith("REST") && family.contains("medication")
        || family.equals("REST read adherence")) {
      // the patient and the staff looking after them; a system with a read scope
      return ownPatient
          && caller.name().matches("integration .*|(nurse|clinician) on ward .*|patient A");
    }
    if (family.equals("FHIR write Observation")) {
      // readings are entered by the staff who took them, for their own patients only
      return ownPatient && caller.name().matches("(nurse|clinician) on ward .*");
    }
    return switch (caller.name()) {
      case "integration (system/*.rs)" ->
          family.startsWith("FHIR") && !family.contains("AuditEvent")
              || family.equals("REST read device");
      case "auditor (system/AuditEvent.rs)" -> family.equals("FHIR search AuditEvent");
      // administrators keep the audit trail and the devices, never read patients' records
      case "admin" -> family.equals("FHIR search AuditEvent") || family.equals("REST read device");
      case "nurse on ward MX-A", "clinician on ward MX-B" ->
          ownPatient && family.startsWith("FHIR") && !family.contains("AuditEvent");
      // a patient also sees who looked at their record
      case "patient A" -> ownPatient && family.startsWith("FHIR");
      case "device of patient A" -> ownPatient && family.equals("ingest a reading");
      default -> false;
    };
  }

  /**
   * The family's answer to the caller. A 429 says the caller's rate limit (50 requests a second in
   * tests) is spent — the matrix asks some 90 questions of each caller — not whether it may: the
   * request is asked again once the limit allows, as a client should.
   */
  private static int answer(Family family, String patient, String token) {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<?> response = family.call().apply(patient, token);
      if (response.statusCode() != 429 || attempt == 20) {
        return response.statusCode();
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return response.statusCode();
      }
    }
  }

  @Test
  void everyRoleReachesExactlyWhatItShould() {
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    for (Caller caller : callers) {
      for (Family family : everyFamily()) {
        for (String patient : List.of(A, B)) {
          boolean own =
              caller
                  .own()
                  .map(patient::equals)
                  .orElse(
                      caller.name().startsWith("integration")
                          || caller.name().startsWith("auditor"));
          boolean expected =
              family.name().startsWith(EXPORT)
                  ? exportAllowed(caller)
                  : family.name().startsWith(DIRECTORY)
                      ? directoryAllowed(caller)
                      : family.name().startsWith(ALARMS)
                          ? alarmsAllowed(caller, family.name(), own)
                          : family.name().startsWith(CARE)
                              ? careAllowed(caller, family.name(), own)
                              : family.name().startsWith(VISITS)
                                  ? visitsAllowed(caller, family.name(), own)
                                  : allowed(caller, family.name(), own);
          int status = answer(family, patient, caller.token());
          boolean granted = status >= 200 && status < 300;
          boolean denied = status == 401 || status == 403 || hidden(family, status);
          cells++;
          if (expected ? !granted : !denied) {
            wrong.add(
                caller.name()
                    + " × "
                    + family.name()
                    + " × "
                    + (own ? "own" : "other")
                    + " patient: "
                    + status
                    + ", expected "
                    + (expected ? "2xx" : "401/403"));
          }
        }
      }
    }
    System.out.printf(
        "authorization matrix: %d callers × %d endpoint families × 2 patients = %d cells, %d wrong%n",
        callers.size(), everyFamily().size(), cells, wrong.size());
    assertThat(wrong).isEmpty();
  }

  // --- The staff directory: who works where, the same for every patient's ward ---

  private static final String DIRECTORY = "directory ";

  /** The staff and the ward of the cell's patient: MX-A's nurse, or MX-B's clinician. */
  private List<Family> directoryFamilies() {
    Map<String, String> staffOf = Map.of(A, "mx-nurse", B, "mx-doctor");
    // a ward's Location id is its name made a FHIR id: '-' is not kept as such
    Map<String, String> wardOf = Map.of(A, "MX.2DA", B, "MX.2DB");
    return List.of(
        new Family(
            DIRECTORY + "FHIR read Practitioner",
            (p, t) -> api().get("/fhir/Practitioner/" + staffOf.get(p), t)),
        new Family(
            DIRECTORY + "FHIR search PractitionerRole by ward",
            (p, t) -> api().get("/fhir/PractitionerRole?location=Location/" + wardOf.get(p), t)),
        new Family(
            DIRECTORY + "FHIR read Location",
            (p, t) -> api().get("/fhir/Location/" + wardOf.get(p), t)),
        new Family(DIRECTORY + "FHIR search Location", (p, t) -> api().get("/fhir/Location", t)));
  }

  /**
   * The directory holds no patient's data: systems that may read it and nurses and clinicians read
   * all of it, whichever ward they work on; patients, administrators and devices do not (a patient
   * learns who looks after them from their CareTeams).
   */
  private static boolean directoryAllowed(Caller caller) {
    return switch (caller.name()) {
      case "integration (system/*.rs)", "nurse on ward MX-A", "clinician on ward MX-B" -> true;
      default -> false;
    };
  }

  // --- Alarms: a patient's alarms over REST, and the live stream (Server-Sent Events) ---

  private static final String ALARMS = "alarms ";

  private List<Family> alarmFamilies() {
    return List.of(
        new Family(
            ALARMS + "REST list of a patient",
            (p, t) -> api().get("/api/v1/alarms?patient=" + p, t)),
        new Family(ALARMS + "live stream", (p, t) -> openStream(t)));
  }

  /**
   * Systems with a Flag read scope see every patient's alarms; people their own patients' (the
   * stream is not per patient: what each subscriber receives is filtered, AlarmLifecycleIT shows
   * it); anyone without patients or scope is refused.
   */
  private static boolean alarmsAllowed(Caller caller, String family, boolean ownPatient) {
    boolean stream = family.endsWith("live stream");
    return switch (caller.name()) {
      case "integration (system/*.rs)" -> true;
      case "nurse on ward MX-A", "clinician on ward MX-B", "patient A" -> stream || ownPatient;
      default -> false;
    };
  }

  /** Opens the alarm stream, takes its status and closes it: the stream itself never ends. */
  private HttpResponse<?> openStream(String token) {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(api().base().resolve("/api/v1/alarms/stream"))
            .header("Accept", "text/event-stream")
            .GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<java.io.InputStream> response =
          java.net.http.HttpClient.newHttpClient()
              .sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
              .get(20, java.util.concurrent.TimeUnit.SECONDS);
      response.body().close();
      return response;
    } catch (Exception e) {
      throw new IllegalStateException("the alarm stream did not answer", e);
    }
  }

  // --- Video visits: Appointments, Encounters, slots, join links, the portal's notices ---

  private static final String VISITS = "visits ";

  private final Map<String, String> visitOf = new LinkedHashMap<>();

  /** A video visit of the patient with the staff who look after them, booked on first use. */
  private String visitOf(String patient) {
    return visitOf.computeIfAbsent(
        patient,
        p -> {
          String staff = p.equals(A) ? "nurse on ward MX-A" : "clinician on ward MX-B";
          String practitioner = p.equals(A) ? "mx-nurse" : "mx-doctor";
          String token =
              callers.stream()
                  .filter(c -> c.name().equals(staff))
                  .findFirst()
                  .orElseThrow()
                  .token();
          Instant start = Instant.now().plusSeconds(86_400).truncatedTo(ChronoUnit.SECONDS);
          HttpResponse<String> booked =
              api()
                  .post(
                      "/fhir/Appointment",
                      token,
                      "application/fhir+json",
                      "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"start\":\""
                          + start
                          + "\",\"end\":\""
                          + start.plusSeconds(900)
                          + "\",\"participant\":[{\"actor\":{\"reference\":\"Patient/"
                          + p
                          + "\"}},{\"actor\":{\"reference\":\"Practitioner/"
                          + practitioner
                          + "\"}}]}");
          assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
          return java.net
              .URI
              .create(booked.headers().firstValue("Location").orElseThrow())
              .getPath()
              .replaceAll(".*/Appointment/([^/]+).*", "$1");
        });
  }

  private List<Family> visitFamilies() {
    return List.of(
        new Family(
            VISITS + "FHIR search Appointment",
            (p, t) -> api().get("/fhir/Appointment?patient=" + p, t)),
        new Family(
            VISITS + "FHIR read Appointment",
            (p, t) -> api().get("/fhir/Appointment/" + visitOf(p), t)),
        new Family(
            VISITS + "FHIR search Encounter",
            (p, t) -> api().get("/fhir/Encounter?patient=" + p, t)),
        new Family(VISITS + "FHIR search Slot", (p, t) -> api().get("/fhir/Slot?status=free", t)),
        new Family(
            VISITS + "REST join link",
            (p, t) ->
                api()
                    .post(
                        "/api/v1/appointments/" + visitOf(p) + "/join-link",
                        t,
                        "application/json",
                        "{}")),
        new Family(
            VISITS + "REST visit notices",
            (p, t) -> api().get("/api/v1/patients/" + p + "/visit-notices", t)));
  }

  /**
   * A patient's visits are read as their record is: by systems that may read it, and by the patient
   * and the staff who look after them. Only a visit's two participants get a link into it (each
   * visit here is between the patient and the staff of their ward); the portal's notices are for
   * those people too, not for systems. The slots offered hold no patient's data: every patient,
   * nurse and clinician reads them, and systems that may read.
   */
  private static boolean visitsAllowed(Caller caller, String family, boolean ownPatient) {
    boolean person =
        Set.of("nurse on ward MX-A", "clinician on ward MX-B", "patient A").contains(caller.name());
    if (family.endsWith("FHIR search Slot")) {
      return person || caller.name().equals("integration (system/*.rs)");
    }
    if (family.contains("REST")) {
      return person && ownPatient;
    }
    return caller.name().equals("integration (system/*.rs)") || person && ownPatient;
  }

  // --- Bulk export ($export): kept apart from the families above so that each can grow alone ---

  private static final String EXPORT = "export ";

  private List<Family> everyFamily() {
    List<Family> all = new ArrayList<>(families());
    all.addAll(exportFamilies());
    all.addAll(directoryFamilies());
    all.addAll(alarmFamilies());
    all.addAll(careFamilies());
    all.addAll(visitFamilies());
    return all;
  }

  // --- Chronic care: care plans, their figures, review time and the program report ---

  private static final String CARE = "care ";

  private List<Family> careFamilies() {
    VigilApi api = api();
    return List.of(
        new Family(
            CARE + "REST read care plan",
            (p, t) -> api.get("/api/v1/patients/" + p + "/care-plan", t)),
        new Family(
            CARE + "REST read care metrics",
            (p, t) -> api.get("/api/v1/patients/" + p + "/care-metrics", t)),
        new Family(
            CARE + "REST read glucose profile",
            (p, t) -> api.get("/api/v1/patients/" + p + "/glucose-profile", t)),
        new Family(
            CARE + "FHIR search CarePlan", (p, t) -> api.get("/fhir/CarePlan?patient=" + p, t)),
        new Family(CARE + "FHIR search Goal", (p, t) -> api.get("/fhir/Goal?patient=" + p, t)),
        new Family(
            CARE + "REST write care plan",
            (p, t) ->
                api.put(
                    "/api/v1/patients/" + p + "/care-plan",
                    t,
                    "application/json",
                    "{\"programs\":[\"hypertension\"],\"timeZone\":\"UTC\"}")),
        new Family(
            CARE + "REST log review time",
            (p, t) ->
                api.postJson(
                    "/api/v1/patients/" + p + "/review-time",
                    t,
                    "{\"startedAt\":\""
                        + Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS)
                        + "\",\"seconds\":30}")),
        new Family(
            CARE + "REST program report",
            (p, t) -> api.get("/api/v1/patients/" + p + "/program-report", t)),
        new Family(
            CARE + "REST program report PDF",
            (p, t) -> api.get("/api/v1/patients/" + p + "/program-report.pdf", t)));
  }

  /**
   * A care plan and its figures are read by the patient, the staff looking after them and systems
   * with a CarePlan read scope; only a clinician looking after the patient writes the plan; staff
   * log review time and read the program report (it names the staff who reviewed).
   */
  private static boolean careAllowed(Caller caller, String family, boolean ownPatient) {
    boolean staff = caller.name().matches("(nurse|clinician) on ward .*");
    if (family.endsWith("write care plan")) {
      return ownPatient && caller.name().startsWith("clinician");
    }
    if (family.endsWith("review time") || family.contains("program report")) {
      return ownPatient && staff;
    }
    return switch (caller.name()) {
      case "integration (system/*.rs)" -> true;
      case "nurse on ward MX-A", "clinician on ward MX-B", "patient A" -> ownPatient;
      default -> false;
    };
  }

  /**
   * Bulk export covers every patient at once, so the patient of the cell does not matter: starting
   * one, and reading the status and a file of one that the integration client started. Kick-offs
   * export only Patient resources and are deleted at once, so the matrix starts no large exports.
   */
  private List<Family> exportFamilies() {
    return List.of(
        new Family(
            EXPORT + "kick-off $export", (p, t) -> kickOff("/fhir/$export?_type=Patient", t)),
        new Family(
            EXPORT + "kick-off Patient/$export",
            (p, t) -> kickOff("/fhir/Patient/$export?_type=Patient", t)),
        new Family(
            EXPORT + "status of the integration's export",
            (p, t) -> api().get(integrationExport()[0], t)),
        new Family(
            EXPORT + "file of the integration's export",
            (p, t) -> api().get(integrationExport()[1], t)));
  }

  /** Only a system that may read what is exported may export, and only it reads its export. */
  private static boolean exportAllowed(Caller caller) {
    return caller.name().equals("integration (system/*.rs)");
  }

  /**
   * An export's status and files answer 404 to every other caller with a valid token: they do not
   * learn that it exists. That counts as refused.
   */
  private static boolean hidden(Family family, int status) {
    return family.name().startsWith(EXPORT) && !family.name().contains("kick-off") && status == 404;
  }

  private HttpResponse<String> kickOff(String path, String token) {
    HttpResponse<String> answer =
        send("GET", path, token, "Accept", "application/fhir+json", "Prefer", "respond-async");
    answer
        .headers()
        .firstValue("Content-Location")
        .filter(status -> answer.statusCode() == 202)
        .ifPresent(status -> send("DELETE", status, token));
    return answer;
  }

  private String[] integrationExport;

  /** The status URL and the Patient file of one export the integration client started. */
  private String[] integrationExport() {
    if (integrationExport == null) {
      String token =
          callers.stream().filter(c -> exportAllowed(c)).findFirst().orElseThrow().token();
      HttpResponse<String> accepted =
          send(
              "GET",
              "/fhir/$export?_type=Patient",
              token,
              "Accept",
              "application/fhir+json",
              "Prefer",
              "respond-async");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String status = accepted.headers().firstValue("Content-Location").orElseThrow();
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      HttpResponse<String> polled = send("GET", status, token);
      while (polled.statusCode() == 202 && System.nanoTime() < deadline) {
        sleep();
        polled = send("GET", status, token);
      }
      assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
      String file = VigilApi.json(polled.body()).path("output").path(0).path("url").asString();
      assertThat(file).contains("Patient.ndjson");
      integrationExport = new String[] {status, file};
    }
    return integrationExport;
  }

  private HttpResponse<String> send(String method, String url, String token, String... headers) {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url.startsWith("http") ? url : api().base() + url))
            .timeout(java.time.Duration.ofSeconds(30))
            .method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The ids in a FHIR search result bundle. */
  private record JsonSearch(String body) {
    String firstId() {
      return VigilApi.json(body).path("entry").path(0).path("resource").path("id").asString();
    }
  }
}
