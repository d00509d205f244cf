package org.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilProcess;
import tools.jackson.databind.JsonNode;

/**
 * The durability promise, tested the hard way: a device streams readings while the node is killed
 * with SIGKILL; after a restart on the same data directory every reading that was answered 202 is
 * there, and the credentials still work.
 */
class KilledDemoLosesNothingIT {

  @TempDir Path dataDir;

  private final int mqtt = VigilProcess.freePort();
  private final int mqtts = VigilProcess.freePort();
  private final int mllp = VigilProcess.freePort();
  private final int https = VigilProcess.freePort();

  /** The same ports both times, so that the credentials file (with its URLs) is unchanged. */
  private VigilProcess startDemo(int http) {
    return VigilProcess.start(
            "killed-demo",
            http,
            "demo",
            "--patients",
            "2",
            "--http-port",
            String.valueOf(http),
            "--mqtt-port",
            String.valueOf(mqtt),
            "--mqtts-port",
            String.valueOf(mqtts),
            "--mllp-port",
            String.valueOf(mllp),
            "--https-port",
            String.valueOf(https),
            "--data-dir",
            dataDir.toString())
        .awaitReady(Duration.ofSeconds(180));
  }

  @Test
  void everyReadingAnswered202SurvivesAKillNine() throws Exception {
    int http = VigilProcess.freePort();
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    String credentialsBefore;
    JsonNode monitor;
    try (VigilProcess vigil = startDemo(http)) {
      Path file = dataDir.resolve("demo-credentials.json");
      credentialsBefore = Files.readString(file);
      monitor = VigilApi.json(credentialsBefore).path("devices").get(0);
      String path = "/api/v1/ingest/" + monitor.path("deviceId").asString();
      String token = monitor.path("token").asString();

      // After the demo assigned its devices: readings from before have no patient.
      Instant base = Instant.now();
      AtomicBoolean writing = new AtomicBoolean(true);
      CountDownLatch enough = new CountDownLatch(500);
      AtomicLong sequence = new AtomicLong();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        writers.add(
            Thread.ofVirtual()
                .start(() -> {
                  while (writing.get()) {
                    long n = sequence.incrementAndGet();
                    String body =
                        "{\"time\":\""
                            + base.plusMillis(n)
                            + "\",\"measurements\":[{\"code\":\"29463-7\",\"value\":"
                            + n
                            + ",\"unit\":\"kg\"}]}";
                    try {
                      HttpResponse<String> response = vigil.api().postJson(path, token, body);
                      if (response.statusCode() == 202) {
                        acknowledged.add(n);
                        enough.countDown();
                      }
                    } catch (IllegalStateException connectionLost) {
                      // the node is gone: nothing was acknowledged
                    }
                  }
                }));
      }
      enough.await(20, TimeUnit.SECONDS);
      vigil.kill(); // while the writers are still sending
      writing.set(false);
      for (Thread writer : writers) {
        writer.join();
      }
    }
    assertThat(acknowledged).as("readings acknowledged before the kill").hasSizeGreaterThan(100);

    try (VigilProcess restarted = startDemo(http)) {
      Path file = dataDir.resolve("demo-credentials.json");
      assertThat(Files.readString(file))
          .as("credentials after restart")
          .isEqualTo(credentialsBefore);

      JsonNode credentials = VigilApi.json(credentialsBefore);
      JsonNode client = credentials.path("clients").get(0);
      String token =
          restarted
              .api()
              .token(
                  client.path("clientId").asString(), client.path("clientSecret").asString(), null);
      Set<Long> stored =
          storedWeights(restarted.api(), token, monitor.path("patientId").asString());

      assertThat(stored).as("stored after restart").containsAll(acknowledged);
      System.out.printf(
          "kill -9 test: %d readings acknowledged before the kill, %d stored after restart%n",
          acknowledged.size(), stored.size());

      HttpResponse<String> afterRestart =
          restarted
              .api()
              .postJson(
                  "/api/v1/ingest/" + monitor.path("deviceId").asString(),
                  monitor.path("token").asString(),
                  "{\"measurements\":[{\"code\":\"8867-4\",\"value\":70,\"unit\":\"/min\"}]}");
      assertThat(afterRestart.statusCode()).as("the device token still works").isEqualTo(202);
    }
  }

  private static Set<Long> storedWeights(VigilApi api, String token, String patient) {
    var fhir = api.fhir(token);
    Set<Long> values = new HashSet<>();
    Bundle page =
        fhir.search()
            .forResource(Observation.class)
            .where(Observation.PATIENT.hasId(patient))
            .and(Observation.CODE.exactly().systemAndCode("http://loinc.org", "29463-7"))
            .count(1000)
            .returnBundle(Bundle.class)
            .execute();
    while (true) {
      for (Bundle.BundleEntryComponent entry : page.getEntry()) {
        Observation weight = (Observation) entry.getResource();
        values.add(weight.getValueQuantity().getValue().longValueExact());
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        return values;
      }
      page = fhir.loadPage().next(page).execute();
    }
  }
}
