package org.vigil.normalize;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Vigil's native device JSON:
 *
 * <pre>{@code
 * {"time": "2026-11-24T10:00:00Z",
 *  "measurements": [{"code": "8867-4", "value": 72, "unit": "/min"},
 *                   {"system": "http://loinc.org", "code": "59408-5", "value": 97, "unit": "%",
 *                    "time": "2026-11-24T10:00:01Z"}]}
 * }</pre>
 *
 * {@code system} defaults to LOINC; a measurement's {@code time} overrides the message's, and both
 * default to the receive time. Every problem in the message is reported, not just the first.
 * Unknown fields are ignored so that devices can carry extra information without breaking.
 */
public final class NativeMessageCodec {

  public static final String LOINC = "http://loinc.org";

  private final JsonMapper json =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private final int maxReadingsPerMessage;

  public NativeMessageCodec(int maxReadingsPerMessage) {
    if (maxReadingsPerMessage < 1) {
      throw new IllegalArgumentException("maxReadingsPerMessage must be positive");
    }
    this.maxReadingsPerMessage = maxReadingsPerMessage;
  }

  public List<DeviceReading> decode(byte[] payload, Instant receivedAt) {
    JsonNode root;
    try {
      root = json.readTree(payload);
    } catch (JacksonException e) {
      throw new InvalidMessageException(
          MessageProblem.ofMessage(
              "malformed JSON: " + firstSentence(e.getOriginalMessage()) + at(e)));
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidMessageException(MessageProblem.ofMessage("the message is empty"));
    }
    if (!root.isObject()) {
      throw new InvalidMessageException(
          MessageProblem.ofMessage("expected a JSON object with a \"measurements\" array"));
    }
    List<MessageProblem> problems = new ArrayList<>();
    Instant messageTime = time(root, "time", "time", receivedAt, problems);
    JsonNode measurements = root.get("measurements");
    List<DeviceReading> readings = new ArrayList<>();
    if (measurements == null || measurements.isNull()) {
      problems.add(new MessageProblem("measurements", "is required"));
    } else if (!measurements.isArray()) {
      problems.add(new MessageProblem("measurements", "must be an array"));
    } else if (measurements.isEmpty()) {
      problems.add(new MessageProblem("measurements", "must contain at least one measurement"));
    } else if (measurements.size() > maxReadingsPerMessage) {
      problems.add(
          new MessageProblem(
              "measurements",
              "has "
                  + measurements.size()
                  + " measurements; at most "
                  + maxReadingsPerMessage
                  + " are accepted in one message"));
    } else {
      for (int i = 0; i < measurements.size(); i++) {
        reading(measurements.get(i), "measurements[" + i + "]", messageTime, problems)
            .ifPresent(readings::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidMessageException(problems);
    }
    return readings;
  }

  private Optional<DeviceReading> reading(
      JsonNode node, String location, Instant messageTime, List<MessageProblem> problems) {
    if (!node.isObject()) {
      problems.add(new MessageProblem(location, "must be an object"));
      return Optional.empty();
    }
    int before = problems.size();
    String system = text(node, location, "system", false, problems);
    if (system == null) {
      system = LOINC;
    }
    String code = text(node, location, "code", true, problems);
    String unit = text(node, location, "unit", true, problems);
    double value = number(node, location + ".value", problems);
    Instant time = time(node, "time", location + ".time", messageTime, problems);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new DeviceReading(location, system, code, value, unit, time));
  }

  private static String text(
      JsonNode parent,
      String location,
      String field,
      boolean required,
      List<MessageProblem> problems) {
    JsonNode node = parent.get(field);
    String path = location + "." + field;
    if (node == null || node.isNull()) {
      if (required) {
        problems.add(new MessageProblem(path, "is required"));
      }
      return null;
    }
    if (!node.isString() || node.stringValue().isBlank()) {
      problems.add(new MessageProblem(path, "must be a non-empty string"));
      return null;
    }
    return node.stringValue();
  }

  private static double number(JsonNode parent, String path, List<MessageProblem> problems) {
    JsonNode node = parent.get("value");
    if (node == null || node.isNull()) {
      problems.add(new MessageProblem(path, "is required"));
      return Double.NaN;
    }
    if (!node.isNumber()) {
      problems.add(new MessageProblem(path, "must be a number, was " + describe(node)));
      return Double.NaN;
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      problems.add(new MessageProblem(path, "must be a finite number"));
    }
    return value;
  }

  private static Instant time(
      JsonNode parent, String field, String path, Instant fallback, List<MessageProblem> problems) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (node.isString()) {
      try {
        return OffsetDateTime.parse(node.stringValue()).toInstant();
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    problems.add(
        new MessageProblem(
            path, "must be an ISO 8601 date-time with a UTC offset, e.g. 2026-11-24T10:00:00Z"));
    return fallback;
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * Jackson's messages go on to describe its internals; the first clause is what a sender needs.
   */
  private static String firstSentence(String message) {
    if (message == null) {
      return "unreadable";
    }
    int cut = message.length();
    for (String end : new String[] {" (start marker", "\n", " at [Source"}) {
      int at = message.indexOf(end);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return message.substring(0, cut);
  }

  private static String at(JacksonException e) {
    var location = e.getLocation();
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
