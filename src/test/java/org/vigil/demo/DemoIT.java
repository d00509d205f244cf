package org.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.testsupport.Browser;
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilProcess;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./vigil demo} as a newcomer runs it: healthy, a credentials file that says how to get in,
 * and within 30 seconds heart-rate Observations for every patient on the ward, read through the
 * FHIR API with the demo's integration client; and the demo's nurse, signed in to the web app in a
 * real browser, sees every patient's tile live and a patient's chart (the README's screenshots).
 */
class DemoIT {

  @TempDir Path dataDir;

  @Test
  void aNewcomersDemoServesEveryPatientsHeartRateThroughFhir() throws Exception {
    int http = VigilProcess.freePort();
    try (VigilProcess vigil =
        VigilProcess.start(
            "demo",
            http,
            "demo",
            "--http-port",
            String.valueOf(http),
            "--mqtt-port",
            String.valueOf(VigilProcess.freePort()),
            "--mqtts-port",
            String.valueOf(VigilProcess.freePort()),
            "--mllp-port",
            String.valueOf(VigilProcess.freePort()),
            "--data-dir",
            dataDir.toString())) {
      vigil.awaitReady(Duration.ofSeconds(180));
      Instant ready = Instant.now();

      Path file = dataDir.resolve("demo-credentials.json");
      assertThat(file).exists();
      assertThat(Files.getPosixFilePermissions(file).toString())
          .isEqualTo("[OWNER_READ, OWNER_WRITE]");
      JsonNode credentials = VigilApi.json(Files.readString(file));
      assertThat(credentials.path("urls").propertyNames())
          .contains("web", "fhir", "mqtt", "mqtts", "mllp");
      assertThat(credentials.path("urls").path("fhir").asString())
          .isEqualTo("http://localhost:" + http + "/fhir");
      assertThat(vigil.output()).contains(file.toString());

      JsonNode client = find(credentials.path("clients"), "clientId", "demo-integration");
      assertThat(client.path("scopes").get(0).asString()).isEqualTo("system/*.rs");
      Set<String> roles = new HashSet<>();
      credentials.path("users").forEach(u -> roles.add(u.path("role").asString()));
      assertThat(roles).contains("nurse", "clinician", "admin", "patient");

      Set<String> patients = new HashSet<>();
      credentials.path("devices").forEach(d -> patients.add(d.path("patientId").asString()));
      assertThat(patients).hasSize(12);

      String token =
          vigil.api().token("demo-integration", client.path("clientSecret").asString(), null);
      var fhir = vigil.api().fhir(token);
      Bundle ward = fhir.search().forResource(Patient.class).returnBundle(Bundle.class).execute();
      assertThat(ward.getTotal()).isEqualTo(12);

      Set<String> withHeartRate = new HashSet<>();
      Instant deadline = ready.plusSeconds(30);
      while (withHeartRate.size() < patients.size() && Instant.now().isBefore(deadline)) {
        for (String patient : patients) {
          Bundle heartRate =
              fhir.search()
                  .forResource(Observation.class)
                  .where(Observation.PATIENT.hasId(patient))
                  .and(Observation.CODE.exactly().systemAndCode("http://loinc.org", "8867-4"))
                  .count(1)
                  .returnBundle(Bundle.class)
                  .execute();
          if (!heartRate.getEntry().isEmpty()) {
            ProfileValidator.assertValid(List.of(heartRate.getEntryFirstRep().getResource()));
            withHeartRate.add(patient);
          }
        }
        Thread.sleep(200); // polling another process: there is nothing to await
      }
      assertThat(withHeartRate)
          .as("patients with a heart rate 30 s after start")
          .isEqualTo(patients);

      // What a nurse sees on the demo's web app: the README's screenshots are these.
      JsonNode nurse =
          StreamSupport.stream(credentials.path("users").spliterator(), false)
              .filter(u -> u.path("role").asString().equals("nurse"))
              .findFirst()
              .orElseThrow();
      try (Browser browser = Browser.open("demo", vigil.api().base())) {
        try {
          browser.signIn(nurse.path("username").asString(), nurse.path("password").asString());
          browser.await(d -> browser.all("li.tile").size() == 12 ? true : null);
          browser.await(
              Duration.ofSeconds(30),
              d ->
                  browser.all("li.tile .vital[data-code='8867-4'] .value").stream()
                          .allMatch(v -> v.getText().matches("\\d+"))
                      ? true
                      : null);
          browser.await(d -> browser.find(".stream-state").getText().equals("Live"));
          Thread.sleep(1500); // a second of live updates, as a nurse would first see it
          browser.screenshot("demo-ward-overview");
          browser.click("li.tile a.tile-link");
          browser.await(
              Duration.ofSeconds(30),
              d -> {
                String points =
                    browser.find("figure.chart[data-code='8867-4']").getAttribute("data-points");
                return points != null && Integer.parseInt(points) > 0 ? true : null;
              });
          browser.screenshot("demo-patient-view");
        } catch (RuntimeException | AssertionError e) {
          browser.screenshot("demo-failure");
          throw e;
        }
      }

      // 143 is the JVM's status for "ended by SIGTERM" once its shutdown hooks have run.
      assertThat(vigil.stop(Duration.ofSeconds(30))).as("exit code after SIGTERM").isEqualTo(143);
      assertThat(vigil.output()).contains("Graceful shutdown complete");
    }
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    List<JsonNode> matches =
        StreamSupport.stream(array.spliterator(), false)
            .filter(n -> n.path(field).asString().equals(value))
            .toList();
    assertThat(matches).hasSize(1);
    return matches.getFirst();
  }
}
