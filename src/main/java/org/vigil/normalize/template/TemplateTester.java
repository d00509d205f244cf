package org.vigil.normalize.template;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementIds;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import org.vigil.normalize.Normalizer;

/**
 * Shows what a payload would become under a template — each reading as the template reads it and as
 * Vigil would store it — or precisely why the template or the payload does not work. For {@code
 * vigil templates test} and the API's test box.
 */
public final class TemplateTester {

  private final MeasurementCatalog catalog;
  private final TemplateEngine engine;
  private final Normalizer normalizer;

  public TemplateTester(MeasurementCatalog catalog) {
    this.catalog = catalog;
    this.engine = new TemplateEngine(catalog);
    this.normalizer =
        new Normalizer(catalog, new MeasurementIds(Clock.systemUTC(), 0, 0), Duration.ofDays(3650));
  }

  /** The outcome: the readings, or the problems. */
  public record Report(boolean ok, List<String> lines) {
    public String text() {
      return String.join(System.lineSeparator(), lines);
    }
  }

  public Report test(String templateText, byte[] payload, Instant receivedAt) {
    MappingTemplate template;
    try {
      template = engine.parse("template", templateText);
    } catch (TemplateException e) {
      List<String> lines = new java.util.ArrayList<>(List.of("The template does not work:"));
      e.problems().forEach(p -> lines.add("  " + p));
      return new Report(false, lines);
    }
    List<String> lines = new java.util.ArrayList<>();
    lines.add(
        "Template "
            + template.name()
            + (template.description().isBlank() ? "" : ": " + template.description()));
    TemplateResult result;
    List<Measurement> stored;
    try {
      result = engine.apply(template, payload, receivedAt);
      stored = normalizer.normalize(result.readings(), "patient", "device", receivedAt);
    } catch (InvalidMessageException e) {
      lines.add("The payload cannot be read:");
      e.problems().stream().map(MessageProblem::describe).forEach(p -> lines.add("  " + p));
      return new Report(false, lines);
    }
    result.deviceId().ifPresent(id -> lines.add("Device id in the payload: " + id));
    lines.add("Readings: " + result.readings().size());
    for (int i = 0; i < result.readings().size(); i++) {
      DeviceReading read = result.readings().get(i);
      Measurement measurement = stored.get(i);
      String display = catalog.find(read.code()).map(t -> t.display()).orElse("");
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-24s LOINC %-8s %-28s %s %s -> %s %s at %s",
              read.location(),
              read.code(),
              abbreviate(display),
              number(read.value()),
              read.unit(),
              number(measurement.value()),
              measurement.unit(),
              measurement.effectiveAt()));
    }
    return new Report(true, lines);
  }

  public Report test(String templateText, String payload, Instant receivedAt) {
    return test(templateText, payload.getBytes(StandardCharsets.UTF_8), receivedAt);
  }

  private static String abbreviate(String text) {
    return text.length() <= 28 ? text : text.substring(0, 27) + "…";
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
