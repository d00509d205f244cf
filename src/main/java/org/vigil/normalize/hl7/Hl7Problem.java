package org.vigil.normalize.hl7;

/**
 * One problem with an HL7 v2 message, located as an ERR segment locates it.
 *
 * @param segment segment id ({@code OBX}), or empty when the whole message is meant
 * @param sequence which occurrence of the segment, from 1 (0 when unknown)
 * @param field field position, from 1 (0 for the whole segment)
 * @param code HL7 table 0357 error code: 100 segment sequence, 101 required field missing, 102 data
 *     type error, 103 table value not found, 200 unsupported message type, 203 unsupported version,
 *     207 application internal error
 * @param error true for an error (the message is not accepted), false for a warning
 * @param message what is wrong, for a person
 */
public record Hl7Problem(
    String segment, int sequence, int field, int code, boolean error, String message) {

  public static final int SEGMENT_SEQUENCE_ERROR = 100;
  public static final int REQUIRED_FIELD_MISSING = 101;
  public static final int DATA_TYPE_ERROR = 102;
  public static final int TABLE_VALUE_NOT_FOUND = 103;
  public static final int UNSUPPORTED_MESSAGE_TYPE = 200;
  public static final int UNSUPPORTED_VERSION = 203;
  public static final int APPLICATION_INTERNAL_ERROR = 207;

  public static Hl7Problem error(
      String segment, int sequence, int field, int code, String message) {
    return new Hl7Problem(segment, sequence, field, code, true, message);
  }

  public static Hl7Problem warning(
      String segment, int sequence, int field, int code, String message) {
    return new Hl7Problem(segment, sequence, field, code, false, message);
  }

  /** {@code OBX[3]-5: not a number} */
  public String describe() {
    String where =
        segment.isEmpty()
            ? "message"
            : segment + "[" + sequence + "]" + (field > 0 ? "-" + field : "");
    return where + ": " + message;
  }
}
