package org.vigil.normalize.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.NativeMessageCodec;

class TemplateRegistryTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private static final String GOOD =
      """
      {"name":"oxi","deviceTypes":["oxi"],
       "values":[{"name":"s","path":"$.sat","code":"59408-5","unit":"%"}]}\
      """;
  private static final String BETTER =
      """
      {"name":"oxi","deviceTypes":["oxi"],
       "values":[{"name":"s","path":"$.spo2","code":"59408-5","unit":"%"}]}\
      """;
  private static final String BROKEN =
      """
      {"name":"oxi","deviceTypes":["oxi"],
       "values":[{"name":"s","path":"$.spo2[","code":"59408-5","unit":"%"}]}\
      """;

  @TempDir Path directory;
  private TemplateRegistry registry;

  @BeforeEach
  void registry() {
    registry =
        new TemplateRegistry(
            new TemplateEngine(MeasurementCatalog.standard()),
            Optional.of(directory),
            new NativeMessageCodec(100));
  }

  private List<Double> read(String payload) {
    return registry.read("oxi", Optional.empty(), payload.getBytes(), NOW).readings().stream()
        .map(DeviceReading::value)
        .toList();
  }

  @Test
  void aBrokenEditKeepsThePreviousVersionActiveAndSaysWhy() throws Exception {
    Path file = directory.resolve("oxi.json");
    Files.writeString(file, GOOD);
    assertThat(registry.reload().errors()).isEmpty();
    assertThat(read("{\"sat\":97}")).containsExactly(97.0);

    Files.writeString(file, BROKEN);
    var report = registry.reload();
    assertThat(report.errors()).containsOnlyKeys(file.toString());
    assertThat(report.errors().get(file.toString()))
        .contains("values[0].path: invalid JSONPath '$.spo2['");
    assertThat(read("{\"sat\":96}")).as("the old version still reads").containsExactly(96.0);

    Files.writeString(file, BETTER);
    assertThat(registry.reload().errors()).isEmpty();
    assertThat(read("{\"spo2\":95}")).containsExactly(95.0);
  }

  @Test
  void aTemplatePutThroughTheApiIsCheckedSavedAndActive() {
    assertThatThrownBy(() -> registry.put("oxi", BROKEN)).isInstanceOf(TemplateException.class);
    assertThat(registry.find("oxi")).isEmpty();

    registry.put("oxi", GOOD);
    assertThat(directory.resolve("oxi.json")).exists();
    assertThat(read("{\"sat\":94}")).containsExactly(94.0);
    assertThatThrownBy(() -> registry.put("other-name", GOOD))
        .hasMessageContaining("calls itself 'oxi'");
  }

  @Test
  void aDeviceNamingAMissingTemplateIsAnInvalidMessage() {
    assertThatThrownBy(() -> registry.read("oxi", Optional.of("nope"), "{}".getBytes(), NOW))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("template 'nope' is not loaded");
  }

  @Test
  void aPayloadNoTemplateMatchesIsAnInvalidMessage() throws Exception {
    Files.writeString(
        directory.resolve("typed.json"),
        """
        {"name":"typed","deviceTypes":["oxi"],"match":{"path":"$.type","equals":"spot"},
         "values":[{"name":"s","path":"$.sat","code":"59408-5","unit":"%"}]}\
        """);
    registry.reload();

    assertThat(read("{\"type\":\"spot\",\"sat\":98}")).containsExactly(98.0);
    assertThatThrownBy(() -> read("{\"type\":\"continuous\",\"sat\":98}"))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("no template for device type oxi matches the payload; tried [typed]");
    // Native JSON is still understood from devices of a type that has templates.
    assertThat(read("{\"measurements\":[{\"code\":\"59408-5\",\"value\":99,\"unit\":\"%\"}]}"))
        .containsExactly(99.0);
  }

  @Test
  void readersAlwaysSeeACompleteSetWhileReloading() throws Exception {
    Files.writeString(directory.resolve("oxi.json"), GOOD);
    registry.reload();
    AtomicBoolean reloading = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      readers.add(
          Thread.ofPlatform()
              .start(() -> {
                while (reloading.get()) {
                  try {
                    assertThat(read("{\"sat\":97}")).containsExactly(97.0);
                  } catch (Throwable t) {
                    failures.add(t);
                  }
                }
              }));
    }
    for (int i = 0; i < 200; i++) {
      registry.reload();
    }
    reloading.set(false);
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void fingerprintChangesWhenAFileChanges() throws Exception {
    String empty = registry.fingerprint();
    Files.writeString(directory.resolve("oxi.json"), GOOD);
    String one = registry.fingerprint();
    assertThat(one).isNotEqualTo(empty);
    Files.delete(directory.resolve("oxi.json"));
    assertThat(registry.fingerprint()).isEqualTo(empty);
  }
}
