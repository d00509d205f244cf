package org.vigil.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.device.DeviceCertificateAuthority;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilProcess;
import org.vigil.testsupport.VigilServerTest;
import tools.jackson.databind.JsonNode;

/**
 * The done-when of the simulator: {@code ./vigil simulate}, a process of its own, plays two hours
 * of a small ward in seconds against a running Vigil — patients' monitors over HTTP, MQTT and HL7
 * v2 (MLLP), a patient at home whose devices' Bluetooth GATT values a hub forwards over MQTT, with
 * duplicates, messages out of order, garbage and an outage — and what the FHIR API then serves
 * shows the scripted episodes where the ground truth says they are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulateIT extends VigilServerTest {

  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired DeviceCertificateAuthority certificates;

  private Path dir;
  private String readToken;

  private static final String SCENARIO =
      """
      {"name": "two-hour-ward", "duration": "PT2H", "seed": 99,
       "intervals": {"heartRate": "PT5S", "oxygenSaturation": "PT5S", "respiratoryRate": "PT5S"},
       "patients": [
         {"id": "sim-p1",
          "resting": {"heartRate": 72, "respiratoryRate": 14, "systolic": 130, "temperature": 36.8},
          "devices": [
            {"kind": "bedside-monitor", "transport": "http",
             "faults": {"duplicate": 0.1, "outOfOrder": 0.1, "garbage": 0.05}},
            {"kind": "temperature-patch", "transport": "http"}]},
         {"id": "sim-p2",
          "resting": {"heartRate": 80, "oxygenSaturation": 97, "respiratoryRate": 15},
          "devices": [
            {"kind": "bedside-monitor", "transport": "mqtt",
             "faults": {"garbage": 0.05, "duplicate": 0.05,
                        "disconnects": [{"at": "PT20M", "duration": "PT10M"}]}}]},
         {"id": "sim-p3", "devices": [{"kind": "bedside-monitor", "transport": "http"}]},
         {"id": "sim-p4", "resting": {"heartRate": 70},
          "devices": [{"kind": "bedside-monitor", "transport": "mllp", "faults": {"garbage": 0.05}}]},
         {"id": "sim-p5", "resting": {"heartRate": 66, "oxygenSaturation": 96, "glucose": 110},
          "devices": [
            {"kind": "pulse-oximeter", "transport": "gatt", "faults": {"garbage": 0.05}},
            {"kind": "blood-pressure-cuff", "transport": "gatt"},
            {"kind": "temperature-patch", "transport": "gatt"},
            {"kind": "glucose-monitor", "transport": "gatt"}]}
       ],
       "episodes": [
         {"type": "sepsis", "patient": "sim-p1", "onset": "PT40M", "duration": "PT1H", "ramp": "PT10M"},
         {"type": "respiratory-failure", "patient": "sim-p2", "onset": "PT1H", "duration": "PT50M", "ramp": "PT10M"},
         {"type": "tachycardia", "patient": "sim-p4", "onset": "PT1H20M", "duration": "PT20M", "ramp": "PT0S"}
       ]}
      """;

  @BeforeAll
  void registerTheWard() throws Exception {
    dir = Files.createTempDirectory("vigil-simulate-it");
    TestWard ward = new TestWard(patients, devices);
    // The credentials file in the format './vigil demo' writes, with what else it holds.
    String credentials =
        """
        {"urls": {"fhir": "http://localhost/fhir"}, "users": [], "clients": [],
         "devices": [
           {"deviceId": "sim-mon-1", "token": "%s", "patientId": "sim-p1", "type": "bedside-monitor"},
           {"deviceId": "sim-temp-1", "token": "%s", "patientId": "sim-p1", "type": "temperature-patch"},
           {"deviceId": "sim-mon-2", "token": "%s", "patientId": "sim-p2", "type": "bedside-monitor"},
           {"deviceId": "sim-mon-3", "token": "%s", "patientId": "sim-p3", "type": "bedside-monitor"},
           {"deviceId": "sim-mon-4", "token": "%s", "patientId": "sim-p4", "type": "bedside-monitor"},
           {"deviceId": "sim-oxi-5", "token": "%s", "patientId": "sim-p5", "type": "pulse-oximeter"},
           {"deviceId": "sim-cuff-5", "token": "%s", "patientId": "sim-p5", "type": "blood-pressure-cuff"},
           {"deviceId": "sim-temp-5", "token": "%s", "patientId": "sim-p5", "type": "temperature-patch"},
           {"deviceId": "sim-cgm-5", "token": "%s", "patientId": "sim-p5", "type": "glucose-monitor"}]}
        """
            .formatted(
                ward.device("sim-mon-1", "bedside-monitor", "sim-p1"),
                ward.device("sim-temp-1", "temperature-patch", "sim-p1"),
                ward.device("sim-mon-2", "bedside-monitor", "sim-p2"),
                ward.device("sim-mon-3", "bedside-monitor", "sim-p3"),
                ward.device("sim-mon-4", "bedside-monitor", "sim-p4"),
                ward.device("sim-oxi-5", "pulse-oximeter", "sim-p5"),
                ward.device("sim-cuff-5", "blood-pressure-cuff", "sim-p5"),
                ward.device("sim-temp-5", "temperature-patch", "sim-p5"),
                ward.device("sim-cgm-5", "glucose-monitor", "sim-p5"));
    Files.writeString(dir.resolve("credentials.json"), credentials);
    Files.writeString(dir.resolve("ward.json"), SCENARIO);
    String secret = clients.register("sim-reader", Set.of("system/*.rs"), "simulator test");
    readToken = api().token("sim-reader", secret, null);
  }

  @Test
  void twoHoursOfAWardInSecondsOverHttpAndMqttShowTheirEpisodesThroughFhir() throws Exception {
    Path truthFile = dir.resolve("truth/ground-truth.json");
    Instant launched = Instant.now();
    VigilProcess.Result run =
        VigilProcess.run(
            Duration.ofSeconds(120),
            "simulate",
            dir.resolve("ward.json").toString(),
            "--credentials",
            dir.resolve("credentials.json").toString(),
            "--target",
            "http://127.0.0.1:" + port,
            "--mqtt",
            "tcp://127.0.0.1:" + MQTT_PORT,
            "--mllp",
            "mllp://127.0.0.1:" + MLLP_PORT,
            "--speed",
            "1200",
            "--max-readings-per-message",
            "100",
            "--ground-truth",
            truthFile.toString());
    Duration wall = Duration.between(launched, Instant.now());
    System.out.print(run.stdout()); // the summary, for the test report

    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(wall).as("two simulated hours at 1200×").isLessThan(Duration.ofSeconds(60));
    // The summary: garbage refused over both transports, everything else accepted.
    assertThat(run.stdout())
        .contains("Simulated 2 h of two-hour-ward (5 patients, 9 devices)")
        .containsPattern("HTTP 400 (invalid|structure)")
        .contains("MQTT IMPLEMENTATION_SPECIFIC_ERROR")
        .contains("HL7 AE")
        .containsPattern("refused, as expected")
        .doesNotContain("WARNING");
    assertThat(run.stderr()).doesNotContain("Exception");

    // The ground truth: both episodes, onset and end in the simulated clock, which (faster than
    // real time, no --start) ended when the run began, so that no reading was in the future.
    JsonNode truth = VigilApi.json(Files.readString(truthFile));
    Instant start = Instant.parse(truth.path("start").asString());
    assertThat(start).isBetween(launched.minusSeconds(7200 + 10), launched.minusSeconds(7200 - 10));
    assertThat(truth.path("end").asString()).isEqualTo(start.plusSeconds(7200).toString());
    JsonNode sepsis = truth.path("episodes").get(0);
    assertThat(sepsis.path("type").asString()).isEqualTo("sepsis");
    assertThat(sepsis.path("patientId").asString()).isEqualTo("sim-p1");
    assertThat(sepsis.path("onset").asString()).isEqualTo(start.plusSeconds(2400).toString());
    assertThat(sepsis.path("end").asString()).isEqualTo(start.plusSeconds(6000).toString());
    JsonNode respiratory = truth.path("episodes").get(1);
    assertThat(respiratory.path("type").asString()).isEqualTo("respiratory-failure");
    assertThat(respiratory.path("patientId").asString()).isEqualTo("sim-p2");
    assertThat(respiratory.path("onset").asString()).isEqualTo(start.plusSeconds(3600).toString());
    assertThat(truth.path("devices").get(2).path("outages").get(0).path("start").asString())
        .isEqualTo(start.plusSeconds(1200).toString());

    Instant onset = start.plusSeconds(2400);
    Instant fullSepsis = onset.plusSeconds(600);
    Instant sepsisEnd = start.plusSeconds(6000);

    // Every heart rate arrived once: one each 5 s for 2 h, duplicates and reorderings stored
    // once, the MQTT monitor's outage buffered and sent afterwards.
    for (String patient : List.of("sim-p1", "sim-p2", "sim-p3", "sim-p4")) {
      assertThat(stats(patient, "8867-4", start, start.plusSeconds(7200)).count)
          .as("heart rates of " + patient)
          .isEqualTo(1440);
    }

    // Sepsis: heart rate and breathing clearly up, systolic pressure down, a fever — against
    // the patient's resting values before the onset.
    Stats hrBefore = stats("sim-p1", "8867-4", start, onset);
    Stats hrDuring = stats("sim-p1", "8867-4", fullSepsis, sepsisEnd);
    assertThat(hrBefore.average).isCloseTo(72, within(8.0));
    assertThat(hrDuring.average).isGreaterThan(hrBefore.average + 25);
    assertThat(stats("sim-p1", "9279-1", fullSepsis, sepsisEnd).average)
        .isGreaterThan(stats("sim-p1", "9279-1", start, onset).average + 7);
    assertThat(stats("sim-p1", "8480-6", fullSepsis, sepsisEnd).average)
        .isLessThan(stats("sim-p1", "8480-6", start, onset).average - 20);
    assertThat(stats("sim-p1", "8310-5", fullSepsis, sepsisEnd).average).isGreaterThan(38.0);

    // Respiratory failure over MQTT: SpO2 down, breathing up.
    Instant fullFailure = start.plusSeconds(4200);
    Instant failureEnd = start.plusSeconds(6600);
    assertThat(stats("sim-p2", "59408-5", fullFailure, failureEnd).average).isLessThan(88);
    assertThat(stats("sim-p2", "59408-5", start, start.plusSeconds(3600)).average)
        .isGreaterThan(94);
    assertThat(stats("sim-p2", "9279-1", fullFailure, failureEnd).average)
        .isGreaterThan(stats("sim-p2", "9279-1", start, start.plusSeconds(3600)).average + 10);

    // Tachycardia over HL7 v2 (MLLP): the heart at 150 for 20 minutes, at rest before.
    assertThat(stats("sim-p4", "8867-4", start.plusSeconds(4800), start.plusSeconds(6000)).average)
        .isBetween(140.0, 160.0);
    assertThat(stats("sim-p4", "8867-4", start, start.plusSeconds(4800)).average)
        .isCloseTo(70, within(8.0));

    // At home, over Bluetooth GATT through the hub's MQTT topic: every characteristic decoded,
    // dated by its own time stamp (PLX spot-check, blood pressure, thermometer, CGM), nothing
    // lost; the oximeter's values cut short were refused.
    assertThat(stats("sim-p5", "59408-5", start, start.plusSeconds(7200)).count).isEqualTo(1440);
    Stats homePulse = stats("sim-p5", "8867-4", start, start.plusSeconds(7200));
    assertThat(homePulse.count).isEqualTo(1440);
    assertThat(homePulse.average).isCloseTo(66, within(8.0));
    Stats homeSystolic = stats("sim-p5", "8480-6", start, start.plusSeconds(7200));
    assertThat(homeSystolic.count).isEqualTo(8);
    assertThat(stats("sim-p5", "8462-4", start, start.plusSeconds(7200)).count).isEqualTo(8);
    assertThat(stats("sim-p5", "8478-0", start, start.plusSeconds(7200)).count)
        .as("the cuff's mean arterial pressure")
        .isEqualTo(8);
    Stats homeTemperature = stats("sim-p5", "8310-5", start, start.plusSeconds(7200));
    assertThat(homeTemperature.count).isEqualTo(120);
    assertThat(homeTemperature.average).isBetween(36.0, 37.6);
    Stats glucose = stats("sim-p5", "2339-0", start, start.plusSeconds(7200));
    assertThat(glucose.count).isEqualTo(24);
    assertThat(glucose.average).isCloseTo(110, within(25.0));

    // Outside any episode, values a living adult at rest has.
    Stats well = stats("sim-p3", "8867-4", start, start.plusSeconds(7200));
    assertThat(well.minimum).isGreaterThan(40);
    assertThat(well.maximum).isLessThan(120);
    Stats wellSpo2 = stats("sim-p3", "59408-5", start, start.plusSeconds(7200));
    assertThat(wellSpo2.minimum).isGreaterThanOrEqualTo(90);
    assertThat(wellSpo2.maximum).isLessThanOrEqualTo(100);
    Stats wellSystolic = stats("sim-p3", "8480-6", start, start.plusSeconds(7200));
    assertThat(wellSystolic.count).isEqualTo(8); // a cuff reading every 15 minutes
    assertThat(wellSystolic.minimum).isGreaterThan(85);
    assertThat(wellSystolic.maximum).isLessThan(175);

    // What the simulator sent is what a conformant device sends.
    Bundle heartRates =
        api()
            .fhir(readToken)
            .search()
            .forResource(Observation.class)
            .where(Observation.PATIENT.hasId("sim-p2"))
            .and(Observation.CODE.exactly().systemAndCode("http://loinc.org", "8867-4"))
            .count(3)
            .returnBundle(Bundle.class)
            .execute();
    assertThat(heartRates.getEntry()).hasSize(3);
    ProfileValidator.assertValid(
        heartRates.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList());
  }

  @Test
  void overMqttWithTlsATokenAndWithMutualTlsACertificateAuthenticateTheDevices() throws Exception {
    TestWard ward = new TestWard(patients, devices);
    String token = ward.device("sim-tls-oxi", "pulse-oximeter", "sim-tls-p1");
    ward.device("sim-mtls-mon", "bedside-monitor", "sim-tls-p2");
    Path certs = dir.resolve("certs");
    DeviceCertificateAuthority.write(certificates.issue("sim-mtls-mon", Duration.ofDays(1)), certs);
    // the certificate is the monitor's only credential: its token here is wrong on purpose
    Files.writeString(
        dir.resolve("tls-credentials.json"),
        """
        {"devices": [
          {"deviceId": "sim-tls-oxi", "token": "%s", "patientId": "sim-tls-p1", "type": "pulse-oximeter"},
          {"deviceId": "sim-mtls-mon", "token": "vgd_not-its-token", "patientId": "sim-tls-p2", "type": "bedside-monitor"}]}
        """
            .formatted(token));
    Files.writeString(
        dir.resolve("tls-ward.json"),
        """
        {"name": "tls-ward", "duration": "PT20M", "seed": 4,
         "intervals": {"heartRate": "PT10S", "oxygenSaturation": "PT10S", "respiratoryRate": "PT10S"},
         "patients": [
           {"id": "sim-tls-p1", "devices": [{"kind": "pulse-oximeter", "transport": "mqtt"}]},
           {"id": "sim-tls-p2", "devices": [{"kind": "bedside-monitor", "transport": "mqtt"}]}]}
        """);
    VigilProcess.Result run =
        VigilProcess.run(
            Duration.ofSeconds(120),
            "simulate",
            dir.resolve("tls-ward.json").toString(),
            "--credentials",
            dir.resolve("tls-credentials.json").toString(),
            "--mqtt",
            "mqtts://127.0.0.1:" + MQTTS_PORT,
            "--mqtt-ca",
            certs.resolve("ca.crt").toString(),
            "--client-certs",
            certs.toString(),
            "--speed",
            "600");
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(run.stdout()).contains("errors            0 messages");
    Instant end = Instant.now();
    Instant start = end.minus(Duration.ofMinutes(25));
    // 20 minutes of a heart rate every 10 s from each
    assertThat(stats("sim-tls-p1", "8867-4", start, end).count).isEqualTo(120);
    assertThat(stats("sim-tls-p2", "8867-4", start, end).count).isEqualTo(120);

    // without the CA the simulator does not trust Vigil's listener, and says so
    Files.writeString(
        dir.resolve("tls-minute.json"),
        """
        {"name": "tls-minute", "duration": "PT1M", "seed": 4,
         "intervals": {"heartRate": "PT1M", "oxygenSaturation": "PT1M"},
         "patients": [
           {"id": "sim-tls-p1", "devices": [{"kind": "pulse-oximeter", "transport": "mqtt"}]}]}
        """);
    VigilProcess.Result untrusted =
        VigilProcess.run(
            Duration.ofSeconds(120),
            "simulate",
            dir.resolve("tls-minute.json").toString(),
            "--credentials",
            dir.resolve("tls-credentials.json").toString(),
            "--mqtt",
            "mqtts://127.0.0.1:" + MQTTS_PORT,
            "--speed",
            "600",
            "--drain",
            "PT5S");
    assertThat(untrusted.exitCode()).isEqualTo(1);
    assertThat(untrusted.stdout()).containsPattern("errors\\s+[1-9]");
  }

  private record Stats(int count, double average, double minimum, double maximum) {}

  /** {@code Observation/$stats} of one patient's vital over [from, to). */
  private Stats stats(String patient, String code, Instant from, Instant to) {
    Parameters in = new Parameters();
    in.addParameter("patient", patient);
    in.addParameter("code", "http://loinc.org|" + code);
    for (String statistic : List.of("count", "average", "minimum", "maximum")) {
      in.addParameter("statistic", new CodeType(statistic));
    }
    in.addParameter()
        .setName("period")
        .setValue(new Period().setStart(Date.from(from)).setEnd(Date.from(to.minusMillis(1))));
    Parameters out =
        api()
            .fhir(readToken)
            .operation()
            .onType(Observation.class)
            .named("$stats")
            .withParameters(in)
            .execute();
    Observation statistics = (Observation) out.getParameterFirstRep().getResource();
    int count = 0;
    double average = Double.NaN;
    double minimum = Double.NaN;
    double maximum = Double.NaN;
    for (Observation.ObservationComponentComponent c : statistics.getComponent()) {
      switch (c.getCode().getCodingFirstRep().getCode()) {
        case "count" -> count = c.getValueIntegerType().getValue();
        case "average" -> average = c.getValueQuantity().getValue().doubleValue();
        case "minimum" -> minimum = c.getValueQuantity().getValue().doubleValue();
        case "maximum" -> maximum = c.getValueQuantity().getValue().doubleValue();
        default -> {}
      }
    }
    return new Stats(count, average, minimum, maximum);
  }
}
