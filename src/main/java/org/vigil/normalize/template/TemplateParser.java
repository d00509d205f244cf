package org.vigil.normalize.template;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and checks mapping templates, JSON or YAML. Every problem is reported with the field it is
 * in, and nothing half-checked is returned: a template either compiles completely or not at all.
 */
final class TemplateParser {

  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9\\-.]{0,99}");
  private static final java.util.regex.Pattern VARIABLE =
      java.util.regex.Pattern.compile("[a-zA-Z][a-zA-Z0-9_]*");

  private final MeasurementCatalog catalog;
  private final JsonMapper json =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private final SpelExpressionParser expressions = new SpelExpressionParser();

  TemplateParser(MeasurementCatalog catalog) {
    this.catalog = catalog;
  }

  MappingTemplate parse(String origin, String text) {
    JsonNode root = tree(origin, text);
    List<String> problems = new ArrayList<>();
    String name = text(root, "name", problems);
    String label = name != null ? name : origin;
    if (name != null && !NAME.matcher(name).matches()) {
      problems.add("name: '" + name + "' must be 1 to 100 lower-case letters, digits, '-' or '.'");
    }
    String description = root.path("description").asString("");
    Set<String> deviceTypes = new LinkedHashSet<>();
    JsonNode types = root.get("deviceTypes");
    if (types == null || !types.isArray() || types.isEmpty()) {
      problems.add("deviceTypes: a list of the device types this template reads is required");
    } else {
      for (int i = 0; i < types.size(); i++) {
        if (!types.get(i).isString() || types.get(i).stringValue().isBlank()) {
          problems.add("deviceTypes[" + i + "]: must be a device type name");
        } else {
          deviceTypes.add(types.get(i).stringValue());
        }
      }
    }
    Optional<MappingTemplate.Match> match = Optional.empty();
    JsonNode matchNode = root.get("match");
    if (matchNode != null && !matchNode.isNull()) {
      JsonPath path = path(matchNode, "match.path", true, problems);
      JsonNode equals = matchNode.get("equals");
      if (equals != null && !equals.isValueNode()) {
        problems.add("match.equals: must be a single value");
      }
      if (path != null) {
        match =
            Optional.of(
                new MappingTemplate.Match(
                    path,
                    Optional.ofNullable(equals).filter(e -> !e.isNull()).map(JsonNode::asString)));
      }
    }
    Optional<JsonPath> deviceId = optionalPath(root, "deviceId", problems);
    Optional<JsonPath> each = optionalPath(root, "each", problems);
    Optional<MappingTemplate.Timestamp> timestamp = timestamp(root, each.isPresent(), problems);
    List<MappingTemplate.Value> values = values(root, each.isPresent(), problems);
    List<MappingTemplate.Calculated> calculated = calculated(root, values, problems);
    if (!problems.isEmpty()) {
      throw new TemplateException(label, problems);
    }
    return new MappingTemplate(
        name,
        description,
        Set.copyOf(deviceTypes),
        match,
        deviceId,
        each,
        timestamp,
        List.copyOf(values),
        List.copyOf(calculated),
        text);
  }

  private JsonNode tree(String origin, String text) {
    String trimmed = text.strip();
    try {
      if (trimmed.startsWith("{")) {
        return json.readTree(trimmed);
      }
      Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(trimmed);
      if (!(yaml instanceof Map<?, ?>)) {
        throw new TemplateException(origin, List.of("a template is a JSON or YAML object"));
      }
      return json.valueToTree(yaml);
    } catch (JacksonException e) {
      throw new TemplateException(origin, List.of("malformed JSON: " + e.getOriginalMessage()));
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new TemplateException(origin, List.of("malformed YAML: " + e.getMessage()));
    }
  }

  private Optional<MappingTemplate.Timestamp> timestamp(
      JsonNode root, boolean batch, List<String> problems) {
    JsonNode node = root.get("timestamp");
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isString()) {
      JsonPath path = compile(node.stringValue(), "timestamp", problems);
      return Optional.ofNullable(path)
          .map(p -> new MappingTemplate.Timestamp(p, MappingTemplate.TimeFormat.ISO8601, false));
    }
    JsonPath path = path(node, "timestamp.path", true, problems);
    String format = node.path("format").asString("iso8601");
    MappingTemplate.TimeFormat timeFormat;
    try {
      timeFormat =
          MappingTemplate.TimeFormat.valueOf(format.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      problems.add(
          "timestamp.format: '" + format + "' must be iso8601, epoch-seconds or epoch-millis");
      return Optional.empty();
    }
    boolean fromMessage = scope(node, "timestamp", batch, problems);
    return Optional.ofNullable(path)
        .map(p -> new MappingTemplate.Timestamp(p, timeFormat, fromMessage));
  }

  private List<MappingTemplate.Value> values(JsonNode root, boolean batch, List<String> problems) {
    JsonNode list = root.get("values");
    List<MappingTemplate.Value> values = new ArrayList<>();
    if (list == null || !list.isArray() || list.isEmpty()) {
      problems.add("values: at least one value is required");
      return values;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "values[" + i + "]";
      JsonNode node = list.get(i);
      if (!node.isObject()) {
        problems.add(at + ": must be an object");
        continue;
      }
      int before = problems.size();
      String name = text(node, "name", at, problems);
      if (name != null && !VARIABLE.matcher(name).matches()) {
        problems.add(
            at + ".name: '" + name + "' must be a letter followed by letters, digits or '_'");
      }
      if (name != null && !names.add(name)) {
        problems.add(at + ".name: '" + name + "' is used twice");
      }
      JsonPath path = path(node, at + ".path", true, problems);
      Optional<MeasurementType> type = type(node, at, problems);
      Optional<String> unit =
          Optional.ofNullable(node.get("unit"))
              .filter(JsonNode::isString)
              .map(JsonNode::stringValue);
      Optional<JsonPath> unitPath =
          Optional.ofNullable(path(node, at + ".unitPath", false, problems));
      Map<String, String> units = new LinkedHashMap<>();
      JsonNode unitMap = node.get("units");
      if (unitMap != null && unitMap.isObject()) {
        unitMap.properties().forEach(e -> units.put(e.getKey(), e.getValue().asString()));
      }
      if (unit.isEmpty() && unitPath.isEmpty()) {
        problems.add(at + ": give the unit the device sends (unit) or where it says it (unitPath)");
      }
      if (unitPath.isPresent() && units.isEmpty()) {
        problems.add(at + ".units: with a unitPath, map the payload's unit names to UCUM units");
      }
      type.ifPresent(t -> {
        Set<String> accepted = new TreeSet<>(t.acceptedUnits().keySet());
        unit.filter(u -> !accepted.contains(u))
            .ifPresent(u ->
                problems.add(
                    at
                        + ".unit: '"
                        + u
                        + "' is not accepted for "
                        + t.code()
                        + " ("
                        + t.display()
                        + "); use one of "
                        + String.join(", ", accepted)));
        units.forEach((k, u) -> {
          if (!accepted.contains(u)) {
            problems.add(
                at
                    + ".units."
                    + k
                    + ": '"
                    + u
                    + "' is not accepted for "
                    + t.code()
                    + "; use one of "
                    + String.join(", ", accepted));
          }
        });
      });
      double scale = number(node, "scale", 1, at, problems);
      double offset = number(node, "offset", 0, at, problems);
      if (scale == 0) {
        problems.add(at + ".scale: must not be 0");
      }
      int mdc = node.path("mdc").asInt(0);
      boolean required = node.path("required").asBoolean(false);
      boolean fromMessage = scope(node, at, batch, problems);
      if (problems.size() == before) {
        values.add(
            new MappingTemplate.Value(
                name,
                path,
                type.get().code(),
                mdc,
                unit,
                unitPath,
                Map.copyOf(units),
                scale,
                offset,
                required,
                fromMessage));
      }
    }
    return values;
  }

  private List<MappingTemplate.Calculated> calculated(
      JsonNode root, List<MappingTemplate.Value> values, List<String> problems) {
    JsonNode list = root.get("calculated");
    List<MappingTemplate.Calculated> calculated = new ArrayList<>();
    if (list == null || list.isNull()) {
      return calculated;
    }
    if (!list.isArray()) {
      problems.add("calculated: must be a list");
      return calculated;
    }
    Set<String> known = new HashSet<>();
    values.forEach(v -> known.add(v.name()));
    for (int i = 0; i < list.size(); i++) {
      String at = "calculated[" + i + "]";
      JsonNode node = list.get(i);
      int before = problems.size();
      String name = text(node, "name", at, problems);
      Optional<MeasurementType> type = type(node, at, problems);
      String text = text(node, "expression", at, problems);
      Expression expression = null;
      Set<String> inputs = new LinkedHashSet<>();
      if (text != null) {
        try {
          expression = expressions.parseExpression(text);
          collectVariables(((SpelExpression) expression).getAST(), inputs);
          for (String input : inputs) {
            if (!known.contains(input)) {
              problems.add(
                  at
                      + ".expression: #"
                      + input
                      + " is not a value of this template; values are "
                      + known);
            }
          }
          if (inputs.isEmpty()) {
            problems.add(at + ".expression: uses no values (refer to them as #name)");
          }
        } catch (ParseException e) {
          problems.add(
              at + ".expression: invalid expression '" + text + "': " + e.getSimpleMessage());
        }
      }
      if (problems.size() == before) {
        calculated.add(
            new MappingTemplate.Calculated(
                name, type.get().code(), type.get().unit(), expression, Set.copyOf(inputs)));
      }
    }
    return calculated;
  }

  private static void collectVariables(SpelNode node, Set<String> names) {
    if (node instanceof VariableReference variable) {
      String text = variable.toStringAST(); // "#name"
      names.add(text.substring(1));
    }
    for (int i = 0; i < node.getChildCount(); i++) {
      collectVariables(node.getChild(i), names);
    }
  }

  private Optional<MeasurementType> type(JsonNode node, String at, List<String> problems) {
    String code = text(node, "code", at, problems);
    if (code == null) {
      return Optional.empty();
    }
    Optional<MeasurementType> type = catalog.find(code);
    if (type.isEmpty()) {
      problems.add(
          at
              + ".code: LOINC "
              + code
              + " is not a quantity Vigil accepts; accepted: "
              + catalog.describeCodes());
    }
    return type;
  }

  private static boolean scope(JsonNode node, String at, boolean batch, List<String> problems) {
    String from = node.path("from").asString(batch ? "element" : "message");
    if (!from.equals("element") && !from.equals("message")) {
      problems.add(at + ".from: '" + from + "' must be element or message");
    }
    if (!batch && from.equals("element")) {
      problems.add(at + ".from: 'element' needs an 'each' selector at the top of the template");
    }
    return from.equals("message");
  }

  private Optional<JsonPath> optionalPath(JsonNode root, String field, List<String> problems) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isString()) {
      problems.add(field + ": must be a JSONPath expression");
      return Optional.empty();
    }
    return Optional.ofNullable(compile(node.stringValue(), field, problems));
  }

  private JsonPath path(JsonNode node, String at, boolean required, List<String> problems) {
    String field = at.substring(at.lastIndexOf('.') + 1);
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        problems.add(at + ": a JSONPath expression is required");
      }
      return null;
    }
    if (!value.isString()) {
      problems.add(at + ": must be a JSONPath expression");
      return null;
    }
    return compile(value.stringValue(), at, problems);
  }

  private static JsonPath compile(String expression, String at, List<String> problems) {
    // Jayway forgives some mistakes (a dangling '[' is dropped, a missing '$' assumed); a template
    // that says something other than what it means should fail at load, not at 3 a.m.
    if (!expression.startsWith("$")) {
      problems.add(at + ": invalid JSONPath '" + expression + "': it must start with $");
      return null;
    }
    if (!bracketsBalance(expression)) {
      problems.add(at + ": invalid JSONPath '" + expression + "': brackets do not balance");
      return null;
    }
    try {
      return JsonPath.compile(expression);
    } catch (InvalidPathException | IllegalArgumentException e) {
      problems.add(at + ": invalid JSONPath '" + expression + "': " + e.getMessage());
      return null;
    }
  }

  private static boolean bracketsBalance(String expression) {
    int depth = 0;
    char quote = 0;
    for (char c : expression.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        if (--depth < 0) {
          return false;
        }
      }
    }
    return depth == 0 && quote == 0;
  }

  private static String text(JsonNode node, String field, List<String> problems) {
    return text(node, field, null, problems);
  }

  private static String text(JsonNode node, String field, String at, List<String> problems) {
    JsonNode value = node.get(field);
    String where = at == null ? field : at + "." + field;
    if (value == null || !value.isString() || value.stringValue().isBlank()) {
      problems.add(where + ": is required");
      return null;
    }
    return value.stringValue();
  }

  private static double number(
      JsonNode node, String field, double fallback, String at, List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      problems.add(at + "." + field + ": must be a number");
      return fallback;
    }
    return value.doubleValue();
  }
}
