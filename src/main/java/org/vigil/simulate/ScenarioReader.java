package org.vigil.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads scenario files with Jackson, strictly: an unknown field is a typo, so it is an error. Every
 * error names the file and where in it the problem is.
 */
public final class ScenarioReader {

  /** The scenarios shipped under {@code src/main/resources/scenarios}. */
  public static final List<String> BUILT_IN =
      List.of("small-ward", "home-monitoring", "home-medication", "home-care");

  private final JsonMapper json =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  /** A scenario file, or the name of a built-in scenario when no such file exists. */
  public Scenario read(String fileOrName) {
    Path file = Path.of(fileOrName);
    if (Files.isRegularFile(file)) {
      try {
        return parse(Files.readString(file), file.toString());
      } catch (NoSuchFileException e) {
        throw new ScenarioException(fileOrName + ": no such file");
      } catch (IOException e) {
        throw new ScenarioException(fileOrName + ": cannot be read (" + e.getMessage() + ")");
      }
    }
    if (BUILT_IN.contains(fileOrName)) {
      try (InputStream in =
          ScenarioReader.class.getResourceAsStream("/scenarios/" + fileOrName + ".json")) {
        if (in == null) {
          throw new ScenarioException(fileOrName + ": the built-in scenario is missing");
        }
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), fileOrName);
      } catch (IOException e) {
        throw new ScenarioException(fileOrName + ": cannot be read (" + e.getMessage() + ")");
      }
    }
    throw new ScenarioException(
        fileOrName
            + ": no such file, and not a built-in scenario ("
            + String.join(", ", BUILT_IN)
            + ")");
  }

  /** A scenario from its JSON; {@code source} names it in errors. */
  public Scenario parse(String text, String source) {
    try {
      // Unknown fields first: Jackson reports them only after the record is made, so a misspelt
      // required field would otherwise read as a missing one.
      JsonNode tree = json.readTree(text);
      if (tree != null && !tree.isMissingNode()) {
        unknownFields(tree, Scenario.class, "", source);
      }
      Scenario scenario = json.readValue(text, Scenario.class);
      if (scenario == null) {
        throw new ScenarioException(source + ": the file is empty");
      }
      return scenario;
    } catch (JacksonException e) {
      // A record's own validation says exactly what is wrong; Jackson's wrapper only says that
      // the record could not be made.
      Throwable cause = e.getCause();
      String problem =
          cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
      String path =
          e.getPath().stream()
              .map(r ->
                  r.getPropertyName() != null
                      ? "." + r.getPropertyName()
                      : "[" + r.getIndex() + "]")
              .collect(Collectors.joining())
              .replaceFirst("^\\.", "");
      throw new ScenarioException(
          source + ": " + (path.isEmpty() ? "" : path + ": ") + firstLine(problem));
    }
  }

  private static void unknownFields(JsonNode node, Type type, String path, String source) {
    Class<?> raw =
        type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (raw.isRecord() && node.isObject()) {
      Map<String, Type> fields = new LinkedHashMap<>();
      for (RecordComponent component : raw.getRecordComponents()) {
        fields.put(component.getName(), component.getGenericType());
      }
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        Type fieldType = fields.get(field.getKey());
        if (fieldType == null) {
          throw new ScenarioException(
              source + ": " + at + ": unknown field; known: " + String.join(", ", fields.keySet()));
        }
        unknownFields(field.getValue(), fieldType, at, source);
      }
    } else if (List.class.isAssignableFrom(raw) && node.isArray()) {
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      for (int i = 0; i < node.size(); i++) {
        unknownFields(node.get(i), element, path + "[" + i + "]", source);
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "cannot be read";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** A scenario that cannot be used, with the reason. */
  public static final class ScenarioException extends IllegalArgumentException {
    public ScenarioException(String message) {
      super(message);
    }
  }
}
