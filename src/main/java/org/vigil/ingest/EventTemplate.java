package org.vigil.ingest;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mapping template for a vendor's device events: where in its JSON the event's type is and what
 * each of its codes means in Vigil's event types, when it happened, and which other values to keep
 * under which name. The events equivalent of the readings' mapping templates ({@code
 * normalize/template}); see docs/MEDICATION.md for the format.
 *
 * @param name lower-case letters, digits, {@code -}, {@code .}
 * @param deviceTypes the device types whose events it reads
 * @param matchPath it reads only payloads where this path exists
 * @param typePath where the vendor's event code is
 * @param types each vendor code and the Vigil event type it is ({@code DISP} → {@code
 *     dose-dispensed})
 * @param timePath where the event's time is, if the payload says
 * @param timeFormat {@code iso8601} (with an offset), {@code epoch-seconds} or {@code epoch-millis}
 * @param fields other values kept in the native event, by their native name ({@code compartment} →
 *     {@code $.slot})
 */
public record EventTemplate(
    String name,
    String description,
    Set<String> deviceTypes,
    JsonPath matchPath,
    JsonPath typePath,
    Map<String, String> types,
    Optional<JsonPath> timePath,
    String timeFormat,
    Map<String, JsonPath> fields) {

  static final Set<String> TIME_FORMATS = Set.of("iso8601", "epoch-seconds", "epoch-millis");

  /** A template as written, checked completely: every problem, or none. */
  record Written(
      String name,
      String description,
      List<String> deviceTypes,
      String match,
      String type,
      Map<String, String> types,
      String time,
      String timeFormat,
      Map<String, String> fields) {

    EventTemplate checked() {
      List<String> problems = new ArrayList<>();
      if (name == null || !name.matches("[a-z0-9][a-z0-9.-]{0,99}")) {
        problems.add("name: lower-case letters, digits, '-' and '.'");
      }
      if (deviceTypes == null || deviceTypes.isEmpty()) {
        problems.add("deviceTypes: at least one device type");
      }
      JsonPath matchPath = path("match", match, problems);
      JsonPath typePath = path("type", type, problems);
      if (types == null || types.isEmpty()) {
        problems.add("types: each vendor code and the Vigil event type it is");
      }
      Optional<JsonPath> timePath =
          time == null ? Optional.empty() : Optional.ofNullable(path("time", time, problems));
      String format = timeFormat == null ? "iso8601" : timeFormat;
      if (!TIME_FORMATS.contains(format)) {
        problems.add("timeFormat: one of " + TIME_FORMATS);
      }
      Map<String, JsonPath> paths = new LinkedHashMap<>();
      if (fields != null) {
        fields.forEach((field, path) -> {
          if (Set.of("type", "time", "template").contains(field)) {
            problems.add("fields." + field + ": is set by the template itself");
          }
          paths.put(field, path("fields." + field, path, problems));
        });
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      return new EventTemplate(
          name,
          description == null ? "" : description,
          Set.copyOf(deviceTypes),
          matchPath,
          typePath,
          Map.copyOf(types),
          timePath,
          format,
          Map.copyOf(paths));
    }

    private static JsonPath path(String where, String path, List<String> problems) {
      if (path == null || !path.startsWith("$")) {
        problems.add(where + ": a JSONPath starting with $");
        return null;
      }
      try {
        return JsonPath.compile(path);
      } catch (InvalidPathException e) {
        problems.add(where + ": " + e.getMessage());
        return null;
      }
    }
  }
}
