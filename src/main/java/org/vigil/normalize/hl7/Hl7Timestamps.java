package org.vigil.normalize.hl7;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HL7 v2 DTM values ({@code YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]}). Without an offset the
 * time is on the sending device's clock, read in the zone Vigil is told devices use.
 */
final class Hl7Timestamps {

  private static final Pattern DTM =
      Pattern.compile(
          "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(?:\\.(\\d{1,4}))?([+-]\\d{4})?");

  private Hl7Timestamps() {}

  /** The instant, or empty when the text is not a DTM. */
  static Optional<Instant> parse(String text, ZoneId deviceZone) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    Matcher m = DTM.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      LocalDateTime local =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              number(m.group(2), 1),
              number(m.group(3), 1),
              number(m.group(4), 0),
              number(m.group(5), 0),
              number(m.group(6), 0),
              m.group(7) == null
                  ? 0
                  : Integer.parseInt((m.group(7) + "000").substring(0, 4)) * 100_000);
      ZoneId zone =
          m.group(8) == null
              ? deviceZone
              : ZoneOffset.ofHoursMinutes(
                  Integer.parseInt(m.group(8).substring(0, 3)),
                  Integer.parseInt(m.group(8).charAt(0) + m.group(8).substring(3)));
      return Optional.of(local.atZone(zone).toInstant());
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static int number(String group, int fallback) {
    return group == null ? fallback : Integer.parseInt(group);
  }
}
