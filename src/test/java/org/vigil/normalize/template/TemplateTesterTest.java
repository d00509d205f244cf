package org.vigil.normalize.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.vigil.measurement.MeasurementCatalog;

class TemplateTesterTest {

  private final TemplateTester tester = new TemplateTester(MeasurementCatalog.standard());
  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

  @Test
  void showsEachReadingAsReadAndAsStored() {
    var report =
        tester.test(
            """
            {"name":"thermo","deviceTypes":["thermo"],"deviceId":"$.id",
             "values":[{"name":"t","path":"$.temp_f","code":"8310-5","unit":"[degF]"}]}\
            """,
            "{\"id\":\"th-1\",\"temp_f\":100.4}",
            NOW);

    assertThat(report.ok()).isTrue();
    assertThat(report.text())
        .contains(
            "Device id in the payload: th-1", "Readings: 1", "temp_f", "100.4 [degF] -> 38 Cel");
  }

  @Test
  void explainsWhatIsWrongWithTheTemplateOrThePayload() {
    var badTemplate = tester.test("{\"name\":\"x\"}", "{}", NOW);
    assertThat(badTemplate.ok()).isFalse();
    assertThat(badTemplate.text()).contains("The template does not work:", "deviceTypes:");

    var badPayload =
        tester.test(
            """
            {"name":"thermo","deviceTypes":["thermo"],
             "values":[{"name":"t","path":"$.temp","code":"8310-5","unit":"Cel","required":true}]}\
            """,
            "{\"temp\":\"hot\"}",
            NOW);
    assertThat(badPayload.ok()).isFalse();
    assertThat(badPayload.text())
        .contains("The payload cannot be read:", "temp must be a number, was a string");
  }
}
