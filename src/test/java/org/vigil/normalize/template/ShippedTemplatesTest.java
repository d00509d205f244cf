package org.vigil.normalize.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementIds;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.NativeMessageCodec;
import org.vigil.normalize.Normalizer;

/** The three vendor templates Vigil ships, against realistic payloads of their devices. */
class ShippedTemplatesTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T19:55:00Z");
  private final MeasurementCatalog catalog = MeasurementCatalog.standard();
  private final Normalizer normalizer =
      new Normalizer(
          catalog,
          new MeasurementIds(Clock.fixed(RECEIVED, ZoneOffset.UTC), 0, 0),
          Duration.ofMinutes(5));
  private TemplateRegistry registry;

  @BeforeEach
  void loadShippedTemplates() {
    registry =
        new TemplateRegistry(
            new TemplateEngine(catalog), Optional.empty(), new NativeMessageCodec(1000));
    var report = registry.reload();
    assertThat(report.errors()).isEmpty();
    assertThat(report.active())
        .containsExactly("cardiocuff-webhook", "pulsewave-wristband-batch", "trueweigh-scale");
  }

  private static byte[] payload(String name) throws IOException {
    try (InputStream in = ShippedTemplatesTest.class.getResourceAsStream("/templates/" + name)) {
      return in.readAllBytes();
    }
  }

  private List<Measurement> stored(TemplateResult result) {
    return normalizer.normalize(result.readings(), "p1", "d1", RECEIVED);
  }

  @Test
  void theWristbandBatchBecomesOneSetOfReadingsPerSample() throws Exception {
    TemplateResult result =
        registry.read(
            "pulsewave-wristband", Optional.empty(), payload("pulsewave-batch.json"), RECEIVED);

    assertThat(result.deviceId()).contains("PW2-00123");
    assertThat(result.readings())
        .extracting(
            DeviceReading::location,
            DeviceReading::code,
            DeviceReading::value,
            DeviceReading::effectiveAt)
        .containsExactly(
            tuple("samples[0].hr", "8867-4", 72.0, Instant.ofEpochSecond(1795504200)),
            tuple("samples[0].spo2", "59408-5", 97.0, Instant.ofEpochSecond(1795504200)),
            tuple("samples[0].resp", "9279-1", 15.0, Instant.ofEpochSecond(1795504200)),
            tuple("samples[1].hr", "8867-4", 75.0, Instant.ofEpochSecond(1795504260)),
            tuple("samples[1].spo2", "59408-5", 96.0, Instant.ofEpochSecond(1795504260)),
            tuple("samples[2].hr", "8867-4", 118.0, Instant.ofEpochSecond(1795504320)),
            tuple("samples[2].spo2", "59408-5", 93.0, Instant.ofEpochSecond(1795504320)),
            tuple("samples[2].resp", "9279-1", 22.0, Instant.ofEpochSecond(1795504320)));
    assertThat(result.readings())
        .extracting(DeviceReading::mdcCode)
        .contains(147842, 150456, 151562);
  }

  @Test
  void theCuffWebhookInKilopascalsIsStoredInMillimetresOfMercuryWithMeanPressure()
      throws Exception {
    TemplateResult result =
        registry.read("cardiocuff-bp", Optional.empty(), payload("cardiocuff-kpa.json"), RECEIVED);

    assertThat(result.deviceId()).contains("CC-7781");
    assertThat(stored(result))
        .extracting(
            Measurement::code, Measurement::value, Measurement::unit, Measurement::effectiveAt)
        .containsExactly(
            tuple("8480-6", 126.0, "mm[Hg]", Instant.parse("2026-11-24T06:45:00Z")),
            tuple("8462-4", 78.0, "mm[Hg]", Instant.parse("2026-11-24T06:45:00Z")),
            tuple("8867-4", 64.0, "/min", Instant.parse("2026-11-24T06:45:00Z")),
            // (126.01 + 2 x 78.01) / 3 from the unrounded conversions, in whole mm[Hg]
            tuple("8478-0", 94.0, "mm[Hg]", Instant.parse("2026-11-24T06:45:00Z")));
  }

  @Test
  void theCuffWebhookInMillimetresNeedsNoPulse() throws Exception {
    TemplateResult result =
        registry.read("cardiocuff-bp", Optional.empty(), payload("cardiocuff-mmhg.json"), RECEIVED);

    assertThat(stored(result))
        .extracting(Measurement::code, Measurement::value)
        .containsExactly(tuple("8480-6", 138.0), tuple("8462-4", 86.0), tuple("8478-0", 103.0));
  }

  @Test
  void theScaleInPoundsIsStoredInKilograms() throws Exception {
    TemplateResult result =
        registry.read("trueweigh-scale", Optional.empty(), payload("trueweigh-lb.json"), RECEIVED);

    assertThat(result.deviceId()).contains("TW5-4410");
    assertThat(stored(result))
        .extracting(
            Measurement::code, Measurement::value, Measurement::unit, Measurement::effectiveAt)
        .containsExactly(tuple("29463-7", 69.99, "kg", Instant.ofEpochSecond(1795504800)));
  }

  @Test
  void aDeviceTypeWithoutTemplatesSpeaksNativeJson() {
    TemplateResult result =
        registry.read(
            "bedside-monitor",
            Optional.empty(),
            "{\"measurements\":[{\"code\":\"8867-4\",\"value\":70,\"unit\":\"/min\"}]}".getBytes(),
            RECEIVED);

    assertThat(result.readings()).extracting(DeviceReading::value).containsExactly(70.0);
  }
}
