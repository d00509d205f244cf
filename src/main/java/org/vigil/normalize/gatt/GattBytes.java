package org.vigil.normalize.gatt;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;

/**
 * Reads a GATT characteristic value field by field, little-endian, with every read checked against
 * the length: a value shorter than its flags announce is reported with the byte range and field
 * that is missing, never as an index error.
 */
final class GattBytes {

  private final byte[] bytes;
  private int position;

  GattBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  int position() {
    return position;
  }

  int remaining() {
    return bytes.length - position;
  }

  int uint8(String field) {
    require(1, field);
    return bytes[position++] & 0xFF;
  }

  int uint16(String field) {
    require(2, field);
    int value = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8;
    position += 2;
    return value;
  }

  int sint16(String field) {
    return (short) uint16(field);
  }

  int uint24(String field) {
    require(3, field);
    int value =
        (bytes[position] & 0xFF)
            | (bytes[position + 1] & 0xFF) << 8
            | (bytes[position + 2] & 0xFF) << 16;
    position += 3;
    return value;
  }

  /** An IEEE 11073-20601 SFLOAT; empty for NaN, NRes, ±INFINITY and the reserved value. */
  Optional<Double> sfloat(String field) {
    return MedicalFloat.sfloat(uint16(field));
  }

  /** An IEEE 11073-20601 FLOAT; empty for NaN, NRes, ±INFINITY and the reserved value. */
  Optional<Double> float32(String field) {
    require(4, field);
    int raw =
        (bytes[position] & 0xFF)
            | (bytes[position + 1] & 0xFF) << 8
            | (bytes[position + 2] & 0xFF) << 16
            | (bytes[position + 3] & 0xFF) << 24;
    position += 4;
    return MedicalFloat.float32(raw);
  }

  /**
   * A GATT Date Time (year, month, day, hours, minutes, seconds): the device's local clock, read in
   * its zone. Empty when the device says year, month or day is not known (0), so the caller can
   * fall back to the receive time rather than invent a date.
   */
  Optional<Instant> dateTime(String field, ZoneId zone) {
    int start = position;
    int year = uint16(field + ".year");
    int month = uint8(field + ".month");
    int day = uint8(field + ".day");
    int hours = uint8(field + ".hours");
    int minutes = uint8(field + ".minutes");
    int seconds = uint8(field + ".seconds");
    if (year == 0 || month == 0 || day == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LocalDateTime.of(year, month, day, hours, minutes, seconds).atZone(zone).toInstant());
    } catch (DateTimeException e) {
      throw new InvalidMessageException(
          new MessageProblem(
              range(start, 7) + " (" + field + ")",
              "is not a valid date and time: "
                  + year
                  + "-"
                  + month
                  + "-"
                  + day
                  + " "
                  + hours
                  + ":"
                  + minutes
                  + ":"
                  + seconds));
    }
  }

  void skip(int count, String field) {
    require(count, field);
    position += count;
  }

  private void require(int count, String field) {
    if (remaining() < count) {
      throw new InvalidMessageException(
          new MessageProblem(
              range(position, count) + " (" + field + ")",
              "is missing: the value has "
                  + bytes.length
                  + " bytes, and its flags announce "
                  + field
                  + " at byte "
                  + position));
    }
  }

  static String range(int start, int count) {
    return count == 1
        ? "bytes[" + start + "]"
        : "bytes[" + start + ".." + (start + count - 1) + "]";
  }
}
