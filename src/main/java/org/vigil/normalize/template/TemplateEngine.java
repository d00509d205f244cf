package org.vigil.normalize.template;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.spel.support.SimpleEvaluationContext;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies mapping templates to payloads. The payload is read strictly (duplicate keys refused) and
 * every problem is reported with where it is — {@code samples[3].hr is required} — as an
 * InvalidMessageException, the same error every codec gives, so the message becomes a dead letter
 * that can be replayed once the template is fixed.
 */
public final class TemplateEngine {

  private static final String LOINC = "http://loinc.org";
  private static final Configuration PATHS =
      Configuration.defaultConfiguration().addOptions(Option.SUPPRESS_EXCEPTIONS);

  private final MeasurementCatalog catalog;
  private final TemplateParser parser;
  private final JsonMapper json =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  public TemplateEngine(MeasurementCatalog catalog) {
    this.catalog = catalog;
    this.parser = new TemplateParser(catalog);
  }

  /**
   * Reads and checks a template.
   *
   * @param origin where it came from (a file name), for error messages
   * @throws TemplateException naming every field that is wrong
   */
  public MappingTemplate parse(String origin, String text) {
    return parser.parse(origin, text);
  }

  /** The payload as a document, or the reason it is not JSON. */
  Object document(byte[] payload) {
    try {
      Object document = json.readValue(payload, Object.class);
      if (document == null) {
        throw new InvalidMessageException(MessageProblem.ofMessage("the message is empty"));
      }
      return document;
    } catch (JacksonException e) {
      throw new InvalidMessageException(
          MessageProblem.ofMessage("malformed JSON: " + firstLine(e.getOriginalMessage())));
    }
  }

  /** Whether the template reads this payload (its match expression, if it has one). */
  boolean matches(MappingTemplate template, Object document) {
    if (template.match().isEmpty()) {
      return true;
    }
    MappingTemplate.Match match = template.match().get();
    Object found = read(match.path(), document);
    if (found == null || (found instanceof List<?> list && list.isEmpty())) {
      return false;
    }
    return match.equals().map(expected -> expected.equals(String.valueOf(found))).orElse(true);
  }

  public TemplateResult apply(MappingTemplate template, byte[] payload, Instant receivedAt) {
    return apply(template, document(payload), receivedAt);
  }

  TemplateResult apply(MappingTemplate template, Object document, Instant receivedAt) {
    List<MessageProblem> problems = new ArrayList<>();
    Optional<String> deviceId =
        template.deviceId().map(p -> read(p, document)).filter(v -> v != null).map(String::valueOf);
    List<Object> elements = new ArrayList<>();
    List<String> locations = new ArrayList<>();
    if (template.each().isPresent()) {
      Object selected = read(template.each().get(), document);
      List<?> list =
          selected instanceof List<?> l ? l : selected == null ? List.of() : List.of(selected);
      for (int i = 0; i < list.size(); i++) {
        elements.add(list.get(i));
        locations.add(label(template.each().get()) + "[" + i + "]");
      }
      if (elements.isEmpty()) {
        problems.add(
            new MessageProblem(
                label(template.each().get()),
                "has no elements to read (" + template.each().get().getPath() + ")"));
      }
    } else {
      elements.add(document);
      locations.add("$");
    }
    List<DeviceReading> readings = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      readings.addAll(
          element(template, document, elements.get(i), locations.get(i), receivedAt, problems));
    }
    if (!problems.isEmpty()) {
      throw new InvalidMessageException(problems);
    }
    return new TemplateResult(deviceId, readings);
  }

  private List<DeviceReading> element(
      MappingTemplate template,
      Object document,
      Object element,
      String location,
      Instant receivedAt,
      List<MessageProblem> problems) {
    String prefix = location.equals("$") ? "" : location + ".";
    Instant time = receivedAt;
    if (template.timestamp().isPresent()) {
      MappingTemplate.Timestamp spec = template.timestamp().get();
      Object raw = read(spec.path(), spec.fromMessage() ? document : element);
      if (raw != null) {
        Optional<Instant> parsed = time(raw, spec.format());
        if (parsed.isEmpty()) {
          problems.add(
              new MessageProblem(
                  (spec.fromMessage() ? "" : prefix) + label(spec.path()),
                  "is not a time in the template's format "
                      + spec.format().name().toLowerCase().replace('_', '-')
                      + ": "
                      + raw));
          return List.of();
        }
        time = parsed.get();
      }
    }
    List<DeviceReading> readings = new ArrayList<>();
    Map<String, Object> canonical = new HashMap<>();
    for (MappingTemplate.Value value : template.values()) {
      String at = (value.fromMessage() ? "" : prefix) + label(value.path());
      Object raw = read(value.path(), value.fromMessage() ? document : element);
      if (raw == null) {
        if (value.required()) {
          problems.add(new MessageProblem(at, "is required"));
        }
        continue;
      }
      if (!(raw instanceof Number number)) {
        problems.add(new MessageProblem(at, "must be a number, was " + describe(raw)));
        continue;
      }
      Optional<String> unit = unit(value, value.fromMessage() ? document : element, at, problems);
      if (unit.isEmpty()) {
        continue;
      }
      double reading = number.doubleValue() * value.scale() + value.offset();
      if (!Double.isFinite(reading)) {
        problems.add(new MessageProblem(at, "must be a finite number"));
        continue;
      }
      readings.add(
          new DeviceReading(at, LOINC, value.code(), reading, unit.get(), time, value.mdcCode()));
      canonical(value.code(), reading, unit.get()).ifPresent(v -> canonical.put(value.name(), v));
    }
    for (MappingTemplate.Calculated calculated : template.calculated()) {
      if (!canonical.keySet().containsAll(calculated.inputs())) {
        continue; // an input is missing from this message: nothing to calculate
      }
      SimpleEvaluationContext context = SimpleEvaluationContext.forReadOnlyDataBinding().build();
      canonical.forEach(context::setVariable);
      try {
        Object result = calculated.expression().getValue(context);
        if (result instanceof Number number && Double.isFinite(number.doubleValue())) {
          readings.add(
              new DeviceReading(
                  prefix + calculated.name(),
                  LOINC,
                  calculated.code(),
                  rounded(calculated.code(), number.doubleValue()),
                  calculated.unit(),
                  time));
        } else {
          problems.add(
              new MessageProblem(
                  prefix + calculated.name(), "did not calculate to a finite number"));
        }
      } catch (EvaluationException | ArithmeticException e) {
        problems.add(
            new MessageProblem(
                prefix + calculated.name(), "cannot be calculated: " + e.getMessage()));
      }
    }
    return readings;
  }

  private Optional<String> unit(
      MappingTemplate.Value value, Object scope, String at, List<MessageProblem> problems) {
    if (value.unitPath().isEmpty()) {
      return value.unit();
    }
    Object sent = read(value.unitPath().get(), scope);
    if (sent == null) {
      if (value.unit().isPresent()) {
        return value.unit();
      }
      problems.add(
          new MessageProblem(at, "has no unit (" + value.unitPath().get().getPath() + ")"));
      return Optional.empty();
    }
    String mapped = value.units().get(String.valueOf(sent));
    if (mapped == null) {
      problems.add(
          new MessageProblem(
              at,
              "comes in unit '"
                  + sent
                  + "', which the template does not map; it maps "
                  + value.units().keySet()));
      return Optional.empty();
    }
    return Optional.of(mapped);
  }

  /** A calculated value keeps the decimals its quantity is recorded with (whole mmHg for MAP). */
  private double rounded(String code, double value) {
    int decimals = catalog.find(code).map(t -> t.decimals()).orElse(2);
    return BigDecimal.valueOf(value)
        .setScale(decimals, java.math.RoundingMode.HALF_UP)
        .doubleValue();
  }

  /** Values for calculations are in the canonical unit of their code, whatever the device sent. */
  private Optional<Object> canonical(String code, double value, String unit) {
    return catalog
        .find(code)
        .flatMap(type -> type.conversionFrom(unit))
        .map(conversion -> (Object) conversion.apply(value));
  }

  private static Optional<Instant> time(Object raw, MappingTemplate.TimeFormat format) {
    try {
      return switch (format) {
        case ISO8601 ->
            raw instanceof String text
                ? Optional.of(OffsetDateTime.parse(text).toInstant())
                : Optional.empty();
        case EPOCH_SECONDS ->
            raw instanceof Number n
                ? Optional.of(Instant.ofEpochMilli(Math.round(n.doubleValue() * 1000)))
                : Optional.empty();
        case EPOCH_MILLIS ->
            raw instanceof Number n
                ? Optional.of(Instant.ofEpochMilli(n.longValue()))
                : Optional.empty();
      };
    } catch (DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  private static Object read(JsonPath path, Object document) {
    try {
      return path.read(document, PATHS);
    } catch (RuntimeException e) {
      return null; // a path that does not fit this document's shape finds nothing
    }
  }

  /**
   * {@code $.samples[*]} → {@code samples}; {@code $.data.systolic.value} → {@code
   * data.systolic.value}.
   */
  private static String label(JsonPath path) {
    String text = path.getPath();
    String plain = text.replaceAll("\\['([^']*)'\\]", ".$1").replace("[*]", "");
    return plain.startsWith("$.") ? plain.substring(2) : plain.equals("$") ? "$" : plain;
  }

  private static String describe(Object value) {
    return switch (value) {
      case String s -> "a string";
      case Boolean b -> "a boolean";
      case List<?> l -> "an array";
      case Map<?, ?> m -> "an object";
      default -> value.getClass().getSimpleName();
    };
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int cut = message.indexOf('\n');
    int marker = message.indexOf(" (start marker");
    int end = message.length();
    if (cut >= 0) {
      end = Math.min(end, cut);
    }
    if (marker >= 0) {
      end = Math.min(end, marker);
    }
    return message.substring(0, end);
  }
}
