package org.vigil.simulate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The devices' credentials, in the format {@code ./vigil demo} writes ({@code
 * demo-credentials.json}): {@code {"devices": [{"deviceId", "token", "patientId", "type"}, …]}}.
 * Everything else in the file (users, clients, URLs) is ignored.
 */
public final class CredentialsFile {

  /** A registered device, its token, the patient it is assigned to and its type if known. */
  public record Entry(String deviceId, String token, String patientId, String type) {}

  private CredentialsFile() {}

  public static List<Entry> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    JsonNode root;
    try {
      root = JsonMapper.builder().build().readTree(file.toFile());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": not JSON (" + e.getOriginalMessage() + ")");
    }
    JsonNode devices = root.path("devices");
    if (!devices.isArray() || devices.isEmpty()) {
      throw new IllegalArgumentException(file + ": devices: a list of devices is required");
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      JsonNode d = devices.get(i);
      for (String field : List.of("deviceId", "token", "patientId")) {
        if (!d.path(field).isString() || d.path(field).asString().isBlank()) {
          throw new IllegalArgumentException(
              file + ": devices[" + i + "]." + field + ": is required");
        }
      }
      entries.add(
          new Entry(
              d.path("deviceId").asString(),
              d.path("token").asString(),
              d.path("patientId").asString(),
              d.path("type").isString() ? d.path("type").asString() : null));
    }
    return List.copyOf(entries);
  }
}
