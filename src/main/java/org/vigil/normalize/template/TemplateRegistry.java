package org.vigil.normalize.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import org.vigil.normalize.NativeMessageCodec;

/**
 * The active mapping templates: the ones Vigil ships ({@code classpath:templates/}) and those an
 * integration engineer puts in {@code <data-dir>/templates} or posts through the API, which win
 * over shipped ones of the same name. A reload re-reads the directory; a file that does not parse
 * is reported and the version that was active stays active, so a typo never takes a device type
 * offline. Readers always see a complete, consistent set (the set is replaced, never edited).
 */
public final class TemplateRegistry {

  /** Where a template came from: {@code builtin:name.json} or a file path. */
  public record Loaded(MappingTemplate template, String origin) {}

  /** What a reload did. */
  public record ReloadReport(List<String> active, Map<String, String> errors) {}

  private static final List<String> BUILT_IN =
      List.of("pulsewave-wristband-batch.json", "cardiocuff-webhook.json", "trueweigh-scale.yaml");

  private final TemplateEngine engine;
  private final Optional<Path> directory;
  private final NativeMessageCodec nativeCodec;
  private final AtomicReference<Map<String, Loaded>> active = new AtomicReference<>(Map.of());

  public TemplateRegistry(
      TemplateEngine engine, Optional<Path> directory, NativeMessageCodec nativeCodec) {
    this.engine = engine;
    this.directory = directory;
    this.nativeCodec = nativeCodec;
  }

  public Collection<Loaded> all() {
    return active.get().values();
  }

  public Optional<Loaded> find(String name) {
    return Optional.ofNullable(active.get().get(name));
  }

  /** Re-reads the shipped templates and the directory. */
  public synchronized ReloadReport reload() {
    Map<String, Loaded> previous = active.get();
    Map<String, Loaded> next = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    for (String resource : BUILT_IN) {
      load("builtin:" + resource, builtIn(resource), next, previous, errors);
    }
    for (Path file : files()) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        errors.put(file.toString(), "unreadable: " + e.getMessage());
        continue;
      }
      load(file.toString(), text, next, previous, errors);
    }
    active.set(Map.copyOf(next));
    return new ReloadReport(next.keySet().stream().sorted().toList(), errors);
  }

  private void load(
      String origin,
      String text,
      Map<String, Loaded> next,
      Map<String, Loaded> previous,
      Map<String, String> errors) {
    try {
      MappingTemplate template = engine.parse(origin, text);
      next.put(template.name(), new Loaded(template, origin));
    } catch (TemplateException e) {
      errors.put(origin, e.getMessage());
      // Keep what this file defined before, so the devices using it keep working.
      previous.values().stream()
          .filter(l -> l.origin().equals(origin))
          .forEach(l -> next.put(l.template().name(), l));
    }
  }

  /**
   * Checks a template and makes it active, saving it in the templates directory so that it survives
   * a restart.
   *
   * @throws TemplateException when it does not parse (nothing changes)
   */
  public synchronized Loaded put(String name, String text) {
    MappingTemplate template = engine.parse(name, text);
    if (!template.name().equals(name)) {
      throw new TemplateException(
          name,
          List.of("name: the template calls itself '" + template.name() + "', not '" + name + "'"));
    }
    Path dir =
        directory.orElseThrow(() -> new IllegalStateException("no templates directory configured"));
    Path file = dir.resolve(name + (text.strip().startsWith("{") ? ".json" : ".yaml"));
    try {
      Files.createDirectories(dir);
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save template " + name, e);
    }
    Loaded loaded = new Loaded(template, file.toString());
    Map<String, Loaded> next = new LinkedHashMap<>(active.get());
    next.put(name, loaded);
    active.set(Map.copyOf(next));
    return loaded;
  }

  /**
   * Reads a device's JSON: with the template named for the device, else with a template for its
   * type whose match accepts the payload, else as Vigil's native JSON.
   *
   * @throws InvalidMessageException when the named template is not loaded, or the payload fits
   *     neither the type's templates nor the native format
   */
  public TemplateResult read(
      String deviceType, Optional<String> templateName, byte[] payload, Instant receivedAt) {
    if (templateName.isPresent()) {
      Loaded named =
          find(templateName.get())
              .orElseThrow(() ->
                  new InvalidMessageException(
                      MessageProblem.ofMessage(
                          "the device's template '" + templateName.get() + "' is not loaded")));
      return engine.apply(named.template(), payload, receivedAt);
    }
    List<MappingTemplate> forType =
        all().stream()
            .map(Loaded::template)
            .filter(t -> t.deviceTypes().contains(deviceType))
            .sorted(Comparator.comparing(MappingTemplate::name))
            .toList();
    if (forType.isEmpty()) {
      return nativeJson(payload, receivedAt);
    }
    Object document = engine.document(payload);
    for (MappingTemplate template : forType) {
      if (engine.matches(template, document)) {
        return engine.apply(template, document, receivedAt);
      }
    }
    if (document instanceof Map<?, ?> map && map.containsKey("measurements")) {
      return nativeJson(payload, receivedAt);
    }
    throw new InvalidMessageException(
        MessageProblem.ofMessage(
            "no template for device type "
                + deviceType
                + " matches the payload; tried "
                + forType.stream().map(MappingTemplate::name).toList()));
  }

  private TemplateResult nativeJson(byte[] payload, Instant receivedAt) {
    List<DeviceReading> readings = nativeCodec.decode(payload, receivedAt);
    return new TemplateResult(Optional.empty(), readings);
  }

  private List<Path> files() {
    if (directory.isEmpty() || !Files.isDirectory(directory.get())) {
      return List.of();
    }
    try (Stream<Path> listing = Files.list(directory.get())) {
      return listing
          .filter(p ->
              p.toString().endsWith(".json")
                  || p.toString().endsWith(".yaml")
                  || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * A fingerprint of the directory's template files (names, sizes, modification times): when it
   * changes, something was added, edited or removed and a reload is due.
   */
  public String fingerprint() {
    StringBuilder fingerprint = new StringBuilder();
    for (Path file : files()) {
      try {
        fingerprint
            .append(file.getFileName())
            .append(':')
            .append(Files.size(file))
            .append(':')
            .append(Files.getLastModifiedTime(file).toMillis())
            .append(';');
      } catch (IOException e) {
        fingerprint.append(file.getFileName()).append(":gone;");
      }
    }
    return fingerprint.toString();
  }

  private static String builtIn(String resource) {
    URL url = TemplateRegistry.class.getResource("/templates/" + resource);
    if (url == null) {
      throw new IllegalStateException(
          "shipped template " + resource + " is missing from the build");
    }
    try (InputStream in = url.openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
