package org.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * The shipped {@code home-medication} scenario played against a whole node over MQTT — two patients
 * at home with a cuff, a scale, a glucose meter and a dispenser (one native, one PillPal) for three
 * simulated days — and what Vigil makes of the dispensers' events checked against the run's ground
 * truth: every dose the simulator made on time, late or missed is classified so by the adherence
 * API, dose for dose.
 */
class MedicationSimulationIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired UserAccounts users;
  @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

  private static Map<String, List<String>> kinds(String prefix) {
    return Map.of(
        prefix + "001",
        List.of("blood-pressure-cuff", "weight-scale", "glucose-monitor", "pill-dispenser"),
        prefix + "002",
        List.of("blood-pressure-cuff", "weight-scale", "pillpal-dispenser"));
  }

  private static MedicationRequest prescription(
      String patient, String medicine, int compartment, Instant start, String... times) {
    MedicationRequest request = new MedicationRequest();
    request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
    request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    request.setSubject(new Reference("Patient/" + patient));
    request.setMedication(new CodeableConcept().setText(medicine));
    var repeat = request.addDosageInstruction().getTiming().getRepeat();
    for (String time : times) {
      repeat.addTimeOfDay(time);
    }
    repeat.setBounds(new Period().setStart(java.util.Date.from(start)));
    request.addExtension(
        "https://vigil.health/fhir/StructureDefinition/dispenser-compartment",
        new IntegerType(compartment));
    return request;
  }

  @Test
  void everySimulatedDoseIsClassifiedAsTheSimulatorTookItOverMqtt() throws Exception {
    play("home-med-", Optional.empty());
  }

  /** The same scenario with every device on HTTP ({@code --transport http}), for other patients. */
  @Test
  void andOverHttp() throws Exception {
    play("home-medh-", Optional.of(Transport.HTTP));
  }

  private void play(String prefix, Optional<Transport> transport) throws Exception {
    Map<String, List<String>> devicesOf = kinds(prefix);
    TestWard ward = new TestWard(patients, devices);
    List<CredentialsFile.Entry> credentials = new ArrayList<>();
    for (var patient : devicesOf.entrySet()) {
      for (String kind : patient.getValue()) {
        String id = patient.getKey() + "-" + kind;
        credentials.add(
            new CredentialsFile.Entry(
                id, ward.device(id, kind, patient.getKey()), patient.getKey(), kind));
      }
    }
    if (users.find("simmed-nurse").isEmpty()) {
      users.save(
          new UserAccount("simmed-nurse", Role.NURSE, "simmed-nurse", Optional.empty(), true),
          "pw");
      users.setWards("simmed-nurse", Set.of("Ward 7B"));
    }
    String nurse =
        new WebSignIn(api().base())
            .accessToken("simmed-nurse", "pw", "openid user/*.rs user/MedicationRequest.cu");

    Scenario shipped = new ScenarioReader().read("home-medication");
    Scenario scenario =
        prefix.equals("home-med-")
            ? shipped
            : new ScenarioReader()
                .parse(
                    new String(
                            getClass()
                                .getResourceAsStream("/scenarios/home-medication.json")
                                .readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8)
                        .replace("home-med-", prefix),
                    "home-medication over http");
    double speed = 72 * 3600 / 15.0; // three days in a quarter of a minute
    Instant start = Simulation.defaultStart(Instant.now(), scenario, speed);
    Instant prescribed = start.minus(Duration.ofDays(1));
    var fhir = api().fhir(nurse);
    fhir.create()
        .resource(
            prescription(prefix + "001", "Metformin 500 mg", 1, prescribed, "08:00:00", "20:00:00"))
        .execute();
    fhir.create()
        .resource(prescription(prefix + "002", "Ramipril 5 mg", 3, prescribed, "09:00:00"))
        .execute();

    Simulation simulation =
        Simulation.of(
            scenario,
            credentials,
            transport,
            new Simulation.Settings(start, speed, Optional.empty(), Map.of(), 1000, 16),
            Optional.of(api().base()),
            Optional.of(URI.create("tcp://127.0.0.1:" + MQTT_PORT)),
            Optional.empty());
    GroundTruth truth = simulation.groundTruth();
    Summary summary = simulation.run(Duration.ofSeconds(60));
    System.out.println(summary.text());
    assertThat(summary.clean())
        .as(
            summary.text()
                + jdbc.queryForList(
                    "select device_id, reason from dead_letter where device_id like ?",
                    prefix + "%"))
        .isTrue();

    // away from the run's edges, where a dose's event may fall outside it
    Instant from = start.plus(Duration.ofHours(6));
    Instant to = start.plus(scenario.duration()).minus(Duration.ofHours(6));
    for (String patient : devicesOf.keySet()) {
      List<GroundTruth.DoseTruth> planned =
          truth.doses().stream()
              .filter(d -> d.patientId().equals(patient))
              .filter(d -> !Instant.parse(d.dueAt()).isBefore(from))
              .filter(d -> Instant.parse(d.dueAt()).isBefore(to))
              .toList();
      assertThat(planned).hasSizeGreaterThan(1);
      HttpResponse<String> answer =
          api().get("/api/v1/patients/" + patient + "/adherence?from=" + from + "&to=" + to, nurse);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode doses = VigilApi.json(answer.body()).path("medications").path(0).path("doses");
      List<String> classified = new ArrayList<>();
      doses.forEach(
          d -> classified.add(d.path("dueAt").asString() + " " + d.path("outcome").asString()));
      assertThat(classified)
          .as(patient)
          .containsExactlyElementsOf(
              planned.stream().map(d -> Instant.parse(d.dueAt()) + " " + d.fate()).toList());
      System.out.printf(
          "%s: %d doses, %d on time, %d late, %d missed%n",
          patient,
          planned.size(),
          planned.stream().filter(d -> d.fate().equals("on-time")).count(),
          planned.stream().filter(d -> d.fate().equals("late")).count(),
          planned.stream().filter(d -> d.fate().equals("missed")).count());
    }
  }
}
