package org.vigil.ingest;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.Option;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event templates shipped in {@code src/main/resources/event-templates}, and how a vendor's
 * event becomes a native one: for a device of a type a template reads, whose payload has no native
 * {@code type} and matches the template, the template's translation — {@code type}, {@code time},
 * its fields, and {@code template} naming it — is what Vigil stores and its features read.
 */
@Component
public class EventTemplates {

  private static final Configuration PATHS =
      Configuration.defaultConfiguration().addOptions(Option.SUPPRESS_EXCEPTIONS);

  private final List<EventTemplate> templates;
  private final JsonMapper json = JsonMapper.builder().build();

  EventTemplates() {
    this(shipped());
  }

  EventTemplates(List<EventTemplate> templates) {
    this.templates = templates.stream().sorted(Comparator.comparing(EventTemplate::name)).toList();
  }

  public List<EventTemplate> all() {
    return templates;
  }

  private static List<EventTemplate> shipped() {
    JsonMapper json = JsonMapper.builder().build();
    List<EventTemplate> loaded = new ArrayList<>();
    try {
      for (Resource file :
          new PathMatchingResourcePatternResolver()
              .getResources("classpath*:event-templates/*.json")) {
        try (var in = file.getInputStream()) {
          EventTemplate.Written written = json.readValue(in, EventTemplate.Written.class);
          try {
            loaded.add(written.checked());
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                "event template " + file.getFilename() + " is broken: " + e.getMessage(), e);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return loaded;
  }

  /**
   * The native form of a device's event read through the first template (by name) for its type that
   * matches; empty when none does (the payload is then read as native).
   *
   * @throws InvalidMessageException when a template matches but the payload is not what it says
   */
  Optional<ObjectNode> translate(String deviceType, JsonNode root, String raw, Instant received) {
    if (root.has("type")) {
      return Optional.empty();
    }
    for (EventTemplate template : templates) {
      if (!template.deviceTypes().contains(deviceType)) {
        continue;
      }
      Object document = PATHS.jsonProvider().parse(raw);
      if (template.matchPath().read(document, PATHS) == null) {
        continue;
      }
      return Optional.of(translate(template, document, received));
    }
    return Optional.empty();
  }

  private ObjectNode translate(EventTemplate template, Object document, Instant received) {
    List<MessageProblem> problems = new ArrayList<>();
    ObjectNode out = json.createObjectNode();
    Object code = template.typePath().read(document, PATHS);
    String type = code == null ? null : template.types().get(String.valueOf(code));
    if (type == null) {
      problems.add(
          new MessageProblem(
              template.typePath().getPath(),
              (code == null ? "is missing" : "'" + code + "' is not an event code")
                  + " of template "
                  + template.name()
                  + " (it reads "
                  + new TreeSet<>(template.types().keySet())
                  + ")"));
    } else {
      out.put("type", type);
    }
    Instant time = received;
    if (template.timePath().isPresent()) {
      Object value = template.timePath().get().read(document, PATHS);
      if (value != null) {
        try {
          time =
              switch (template.timeFormat()) {
                case "epoch-seconds" -> Instant.ofEpochSecond(number(value).longValue());
                case "epoch-millis" -> Instant.ofEpochMilli(number(value).longValue());
                default -> OffsetDateTime.parse(String.valueOf(value)).toInstant();
              };
        } catch (DateTimeParseException | ArithmeticException | IllegalArgumentException e) {
          problems.add(
              new MessageProblem(
                  template.timePath().get().getPath(),
                  "is not a time in " + template.timeFormat()));
        }
      }
    }
    out.put("time", time.toString());
    for (Map.Entry<String, com.jayway.jsonpath.JsonPath> field : template.fields().entrySet()) {
      Object value = field.getValue().read(document, PATHS);
      if (value != null) {
        out.set(field.getKey(), json.valueToTree(value));
      }
    }
    out.put("template", template.name());
    if (!problems.isEmpty()) {
      throw new InvalidMessageException(problems);
    }
    return out;
  }

  private static Number number(Object value) {
    if (value instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("not a number");
  }
}
