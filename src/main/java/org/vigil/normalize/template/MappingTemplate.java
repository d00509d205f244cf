package org.vigil.normalize.template;

import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.expression.Expression;

/**
 * A declarative mapping from a proprietary device's JSON to Vigil readings, as an integration
 * engineer writes it (see docs/TEMPLATES.md for the format). This is the compiled form: every
 * JSONPath and expression has been checked when the template was loaded.
 *
 * @param name the template's name, which devices refer to
 * @param description what device and payload it reads
 * @param deviceTypes the device types it applies to
 * @param match which payloads it reads, when one device type sends several kinds
 * @param deviceId where the payload names its device, if it does
 * @param each the array whose elements are each one set of readings (a batch upload), if any
 * @param timestamp where each set of readings has its time, if it has one
 * @param values the readings
 * @param calculated readings computed from the others (mean arterial pressure)
 * @param source the template's text as loaded
 */
public record MappingTemplate(
    String name,
    String description,
    Set<String> deviceTypes,
    Optional<Match> match,
    Optional<JsonPath> deviceId,
    Optional<JsonPath> each,
    Optional<Timestamp> timestamp,
    List<Value> values,
    List<Calculated> calculated,
    String source) {

  /** Payloads whose {@code path} exists (and, if {@code equals} is given, has that value). */
  public record Match(JsonPath path, Optional<String> equals) {}

  /** Formats a time may come in. */
  public enum TimeFormat {
    /** ISO 8601 date-time with an offset, e.g. {@code 2026-11-24T07:45:00+01:00}. */
    ISO8601,
    EPOCH_SECONDS,
    EPOCH_MILLIS
  }

  /**
   * @param path where the time is
   * @param format how it is written
   * @param fromMessage read from the whole message rather than from each element
   */
  public record Timestamp(JsonPath path, TimeFormat format, boolean fromMessage) {}

  /**
   * One reading per message (or per element).
   *
   * @param name the name calculated values refer to it by
   * @param path where the value is
   * @param code LOINC code
   * @param mdcCode IEEE 11073 MDC code, or 0
   * @param unit the unit the device sends, if fixed
   * @param unitPath where the payload says its unit, if it does
   * @param units payload unit names mapped to UCUM units
   * @param scale multiplies the value (raw integers: 0.1 for tenths)
   * @param offset added after scaling
   * @param required whether a message without it is an error (else it is simply skipped)
   * @param fromMessage read from the whole message rather than from each element
   */
  public record Value(
      String name,
      JsonPath path,
      String code,
      int mdcCode,
      Optional<String> unit,
      Optional<JsonPath> unitPath,
      Map<String, String> units,
      double scale,
      double offset,
      boolean required,
      boolean fromMessage) {}

  /**
   * A reading computed from others of the same message, in their canonical units.
   *
   * @param name its name
   * @param code LOINC code
   * @param unit the canonical unit of {@code code}
   * @param expression a Spring Expression over the other values, e.g. {@code (#sys + 2 * #dia) / 3}
   * @param inputs the names it uses; it is computed only when all of them are present
   */
  public record Calculated(
      String name, String code, String unit, Expression expression, Set<String> inputs) {}
}
