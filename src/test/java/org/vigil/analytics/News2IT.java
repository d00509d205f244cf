package org.vigil.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.measurement.Consciousness;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * The NEWS2 chart's boundary values for every parameter — both sides of every band edge, both SpO2
 * scales, air and oxygen, every ACVPU level — sent by devices through the real HTTP ingest, scored
 * by the analytics consumer of the ingest log, and read back as FHIR Observations (total, band,
 * sub-scores) and as the alarm each raised. Each case is its own patient, so cases cannot disturb
 * one another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class News2IT extends VigilServerTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String NEWS2 = "http://snomed.info/sct%7C1104051000000101";

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired ClientRegistry clients;

  /** A normal set of observations: every parameter scores 0 on scale 1. */
  private static final Map<String, Double> NORMAL =
      Map.of(
          "9279-1", 16.0,
          "59408-5", 97.0,
          "3151-8", 0.0,
          "8480-6", 120.0,
          "8867-4", 70.0,
          "67775-7", (double) Consciousness.ALERT.ordinal(),
          "8310-5", 37.0);

  private static final Map<String, String> UNITS =
      Map.of(
          "9279-1", "/min",
          "59408-5", "%",
          "3151-8", "L/min",
          "8480-6", "mm[Hg]",
          "8867-4", "/min",
          "67775-7", Consciousness.UNIT,
          "8310-5", "Cel");

  /** One boundary case: the parameter changed from normal, and what the chart says of it. */
  private record Case(
      String name,
      int scale,
      Map<String, Double> changes,
      int total,
      RiskBand band,
      Optional<String> alarm) {}

  private final List<Case> cases = new ArrayList<>();
  private final Map<String, String> patientOf = new LinkedHashMap<>();
  private String integration;

  private void single(String name, String code, double value, int points) {
    RiskBand band = RiskBand.of(points, points == 3);
    single(name, 1, Map.of(code, value), points, band);
  }

  private void single(
      String name, int scale, Map<String, Double> changes, int total, RiskBand band) {
    Optional<String> alarm =
        switch (band) {
          case HIGH -> Optional.of("high");
          case MEDIUM, LOW_MEDIUM -> Optional.of("medium");
          case LOW -> Optional.empty();
        };
    cases.add(new Case(name, scale, changes, total, band, alarm));
  }

  @BeforeAll
  void sendEveryCase() throws Exception {
    double[][] rr = {{8, 3}, {9, 1}, {11, 1}, {12, 0}, {20, 0}, {21, 2}, {24, 2}, {25, 3}};
    for (double[] c : rr) single("RR " + (int) c[0], "9279-1", c[0], (int) c[1]);
    double[][] spo2 = {{91, 3}, {92, 2}, {93, 2}, {94, 1}, {95, 1}, {96, 0}};
    for (double[] c : spo2) single("SpO2 " + (int) c[0] + " scale 1", "59408-5", c[0], (int) c[1]);
    double[][] sbp = {{90, 3}, {91, 2}, {100, 2}, {101, 1}, {110, 1}, {111, 0}, {219, 0}, {220, 3}};
    for (double[] c : sbp) single("SBP " + (int) c[0], "8480-6", c[0], (int) c[1]);
    double[][] pulse = {
      {40, 3}, {41, 1}, {50, 1}, {51, 0}, {90, 0}, {91, 1}, {110, 1}, {111, 2}, {130, 2}, {131, 3}
    };
    for (double[] c : pulse) single("pulse " + (int) c[0], "8867-4", c[0], (int) c[1]);
    double[][] temperature = {
      {35.0, 3}, {35.1, 1}, {36.0, 1}, {36.1, 0}, {38.0, 0}, {38.1, 1}, {39.0, 1}, {39.1, 2}
    };
    for (double[] c : temperature) single("temperature " + c[0], "8310-5", c[0], (int) c[1]);
    for (Consciousness level : Consciousness.values()) {
      single("ACVPU " + level, "67775-7", level.ordinal(), level == Consciousness.ALERT ? 0 : 3);
    }
    // Oxygen adds 2; on scale 1 SpO2 is scored the same on air or oxygen.
    single("on oxygen 2 L/min", 1, Map.of("3151-8", 2.0), 2, RiskBand.LOW);
    // Scale 2: 88–92 scores 0 either way; 93 and above scores 0 on air and 1–3 on oxygen.
    double[][] scale2Air = {{83, 3}, {84, 2}, {85, 2}, {86, 1}, {87, 1}, {88, 0}, {92, 0}, {97, 0}};
    for (double[] c : scale2Air) {
      int points = (int) c[1];
      single(
          "SpO2 " + (int) c[0] + " scale 2 on air",
          2,
          Map.of("59408-5", c[0]),
          points,
          RiskBand.of(points, points == 3));
    }
    double[][] scale2Oxygen = {{92, 0}, {93, 1}, {94, 1}, {95, 2}, {96, 2}, {97, 3}};
    for (double[] c : scale2Oxygen) {
      int points = (int) c[1] + 2;
      single(
          "SpO2 " + (int) c[0] + " scale 2 on oxygen",
          2,
          Map.of("59408-5", c[0], "3151-8", 2.0),
          points,
          RiskBand.of(points, c[1] == 3));
    }
    // Aggregates: 5 is medium, 7 high; Mr Smith (the published example) is 6.
    single(
        "aggregate 5",
        1,
        Map.of("9279-1", 21.0, "8867-4", 111.0, "8310-5", 38.1),
        5,
        RiskBand.MEDIUM);
    single(
        "Mr Smith",
        1,
        Map.of("9279-1", 21.0, "59408-5", 93.0, "8867-4", 95.0, "8310-5", 38.5),
        6,
        RiskBand.MEDIUM);
    single(
        "aggregate 7",
        1,
        Map.of("9279-1", 25.0, "59408-5", 94.0, "3151-8", 2.0, "8310-5", 38.5),
        7,
        RiskBand.HIGH);

    TestWard ward = new TestWard(patients, devices);
    integration =
        api()
            .token(
                "n2-integration",
                clients.register("n2-integration", Set.of("system/*.rs"), "t"),
                null);
    users.save(
        new UserAccount("n2-doctor", Role.CLINICIAN, "n2-doctor", Optional.empty(), true),
        "doctor-password");
    users.setWards("n2-doctor", Set.of("Ward 7B"));
    String doctor =
        new WebSignIn(api().base()).accessToken("n2-doctor", "doctor-password", "openid user/*.rs");

    Instant at = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
    int n = 0;
    for (Case c : cases) {
      String patient = "n2-case-" + n;
      String device = "n2-monitor-" + n++;
      patientOf.put(c.name(), patient);
      String token = ward.device(device, "bedside-monitor", patient);
      if (c.scale() == 2) {
        HttpResponse<String> set =
            api()
                .put(
                    "/api/v1/patients/" + patient + "/news2-scale",
                    doctor,
                    "application/json",
                    "{\"scale\":2,\"reason\":\"hypercapnic respiratory failure, target 88-92%\"}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
      }
      Map<String, Double> values = new HashMap<>(NORMAL);
      values.putAll(c.changes());
      String measurements =
          values.entrySet().stream()
              .map(e ->
                  "{\"code\":\""
                      + e.getKey()
                      + "\",\"value\":"
                      + e.getValue()
                      + ",\"unit\":\""
                      + UNITS.get(e.getKey())
                      + "\"}")
              .collect(Collectors.joining(","));
      HttpResponse<String> posted =
          api()
              .postJson(
                  "/api/v1/ingest/" + device,
                  token,
                  "{\"time\":\"" + at + "\",\"measurements\":[" + measurements + "]}");
      assertThat(posted.statusCode()).as(c.name() + ": " + posted.body()).isEqualTo(202);
    }
  }

  /** The latest NEWS2 of every case's patient, by $lastn, waiting (bounded) for all to arrive. */
  private Map<String, Observation> latestScores() throws InterruptedException {
    String all = String.join(",", patientOf.values());
    Map<String, Observation> byPatient = new HashMap<>();
    for (int attempt = 0; attempt < 100 && byPatient.size() < patientOf.size(); attempt++) {
      if (attempt > 0) {
        Thread.sleep(200);
      }
      HttpResponse<String> found =
          api()
              .get("/fhir/Observation/$lastn?max=1&code=" + NEWS2 + "&patient=" + all, integration);
      assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
      Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, found.body());
      byPatient.clear();
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        Observation o = (Observation) entry.getResource();
        if (o.getStatus() == Observation.ObservationStatus.FINAL) {
          byPatient.put(o.getSubject().getReferenceElement().getIdPart(), o);
        }
      }
    }
    return byPatient;
  }

  @Test
  void everyBoundaryCaseScoresAsTheChartSays() throws Exception {
    Map<String, Observation> scores = latestScores();
    List<String> wrong = new ArrayList<>();
    for (Case c : cases) {
      Observation score = scores.get(patientOf.get(c.name()));
      if (score == null) {
        wrong.add(c.name() + ": no complete score");
        continue;
      }
      int total = score.getValueIntegerType().getValue();
      String band = score.getInterpretationFirstRep().getCodingFirstRep().getDisplay();
      if (total != c.total() || !band.equals(c.band().display())) {
        wrong.add(
            c.name()
                + ": "
                + total
                + " "
                + band
                + ", expected "
                + c.total()
                + " "
                + c.band().display());
      }
    }
    System.out.printf(
        "NEWS2 boundary cases through ingest and FHIR: %d, wrong: %d%n",
        cases.size(), wrong.size());
    assertThat(wrong).isEmpty();
    assertThat(cases).hasSize(63);
  }

  @Test
  void scoresAreValidObservationsWithTheirSubScoresAndInputs() throws Exception {
    Observation smith = latestScores().get(patientOf.get("Mr Smith"));
    ProfileValidator.assertValid(List.of(smith));
    Map<String, Integer> components = new HashMap<>();
    smith
        .getComponent()
        .forEach(c ->
            components.put(
                c.getCode().getCodingFirstRep().getCode(), c.getValueIntegerType().getValue()));
    assertThat(components)
        .containsEntry(News2Parameter.RESPIRATION_RATE.snomedCode(), 2)
        .containsEntry(News2Parameter.OXYGEN_SATURATION.snomedCode(), 2)
        .containsEntry(News2Parameter.AIR_OR_OXYGEN.snomedCode(), 0)
        .containsEntry(News2Parameter.SYSTOLIC_BLOOD_PRESSURE.snomedCode(), 0)
        .containsEntry(News2Parameter.PULSE.snomedCode(), 1)
        .containsEntry(News2Parameter.CONSCIOUSNESS.snomedCode(), 0)
        .containsEntry(News2Parameter.TEMPERATURE.snomedCode(), 1);
    assertThat(smith.getDerivedFrom()).hasSize(7);
    // Each input is a stored reading the caller can read back.
    String input = smith.getDerivedFrom().getFirst().getReference();
    assertThat(api().get("/fhir/" + input, integration).statusCode()).isEqualTo(200);
    // The score is read by id, too.
    assertThat(api().get("/fhir/Observation/" + smith.getIdPart(), integration).statusCode())
        .isEqualTo(200);
  }

  @Test
  void eachCaseRaisesTheAlarmItsBandCallsFor() throws Exception {
    latestScores();
    List<String> wrong = new ArrayList<>();
    // Medium priority waits out the alarm condition delay (1 s in tests): look again, bounded.
    // One request lists every open alarm, so the look stays well inside the caller's rate limit.
    for (int attempt = 0; attempt < 30 && (attempt == 0 || !wrong.isEmpty()); attempt++) {
      if (attempt > 0) {
        Thread.sleep(500);
      }
      wrong.clear();
      HttpResponse<String> found = api().get("/api/v1/alarms", integration);
      assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
      Map<String, String> news2ByPatient = new HashMap<>();
      VigilApi.json(found.body())
          .valueStream()
          .filter(a -> a.path("condition").asString().equals("news2"))
          .forEach(a ->
              news2ByPatient.put(a.path("patientId").asString(), a.path("priority").asString()));
      for (Case c : cases) {
        Optional<String> priority =
            Optional.ofNullable(news2ByPatient.get(patientOf.get(c.name())));
        if (!priority.equals(c.alarm())) {
          wrong.add(c.name() + ": alarm " + priority + ", expected " + c.alarm());
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aPatientWithoutCurrentInputsGetsAnIncompleteScoreNotANormalOne() throws Exception {
    TestWard ward = new TestWard(patients, devices);
    String token = ward.device("n2-oximeter-only", "pulse-oximeter", "n2-incomplete");
    Instant at = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<String> posted =
        api()
            .postJson(
                "/api/v1/ingest/n2-oximeter-only",
                token,
                "{\"time\":\""
                    + at
                    + "\",\"measurements\":[{\"code\":\"59408-5\",\"value\":97,"
                    + "\"unit\":\"%\"},{\"code\":\"8867-4\",\"value\":72,\"unit\":\"/min\"}]}");
    assertThat(posted.statusCode()).isEqualTo(202);

    Observation score = null;
    for (int attempt = 0; attempt < 50 && score == null; attempt++) {
      Thread.sleep(200);
      Bundle found =
          FHIR.newJsonParser()
              .parseResource(
                  Bundle.class,
                  api()
                      .get("/fhir/Observation?patient=n2-incomplete&code=" + NEWS2, integration)
                      .body());
      if (!found.getEntry().isEmpty()) {
        score = (Observation) found.getEntryFirstRep().getResource();
      }
    }
    assertThat(score).isNotNull();
    assertThat(score.getStatus()).isEqualTo(Observation.ObservationStatus.PRELIMINARY);
    assertThat(score.getNoteFirstRep().getText())
        .contains("Incomplete", "respiration rate", "consciousness", "temperature");
    long absent = score.getComponent().stream().filter(c -> c.hasDataAbsentReason()).count();
    assertThat(absent).isEqualTo(5);
    ProfileValidator.assertValid(List.of(score));
  }

  @Test
  void onlyAClinicianLookingAfterThePatientPrescribesScaleTwo() {
    HttpResponse<String> bySystem =
        api()
            .put(
                "/api/v1/patients/n2-case-0/news2-scale",
                integration,
                "application/json",
                "{\"scale\":2}");
    assertThat(bySystem.statusCode()).isEqualTo(403);
    users.save(
        new UserAccount("n2-other-doctor", Role.CLINICIAN, "x", Optional.empty(), true),
        "doctor-password");
    users.setWards("n2-other-doctor", Set.of("Ward 1A"));
    String other =
        new WebSignIn(api().base())
            .accessToken("n2-other-doctor", "doctor-password", "openid user/*.rs");
    assertThat(
            api()
                .put(
                    "/api/v1/patients/n2-case-0/news2-scale",
                    other,
                    "application/json",
                    "{\"scale\":2}")
                .statusCode())
        .isEqualTo(403);
    String doctor =
        new WebSignIn(api().base()).accessToken("n2-doctor", "doctor-password", "openid user/*.rs");
    HttpResponse<String> badScale =
        api()
            .put(
                "/api/v1/patients/n2-case-0/news2-scale",
                doctor,
                "application/json",
                "{\"scale\":3}");
    assertThat(badScale.statusCode()).isEqualTo(400);
    assertThat(badScale.body()).contains("OperationOutcome", "scale");
  }
}
