package org.vigil.normalize;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class NativeMessageCodecTest {

  private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:05Z");
  private final NativeMessageCodec codec = new NativeMessageCodec(100);

  private List<DeviceReading> decode(String json) {
    return codec.decode(json.getBytes(UTF_8), RECEIVED);
  }

  @Test
  void readsTheDocumentedExample() {
    List<DeviceReading> readings =
        decode(
            """
            {"time":"2026-11-24T10:00:00Z","measurements":[
              {"code":"8867-4","value":72,"unit":"/min"},
              {"code":"59408-5","value":97,"unit":"%","time":"2026-11-24T10:00:01Z"}]}
            """);

    assertThat(readings)
        .containsExactly(
            new DeviceReading(
                "measurements[0]",
                "http://loinc.org",
                "8867-4",
                72,
                "/min",
                Instant.parse("2026-11-24T10:00:00Z")),
            new DeviceReading(
                "measurements[1]",
                "http://loinc.org",
                "59408-5",
                97,
                "%",
                Instant.parse("2026-11-24T10:00:01Z")));
  }

  @Test
  void defaultsTheTimeToTheReceiveTimeAndKeepsAnOffset() {
    List<DeviceReading> readings =
        decode(
            """
            {"measurements":[{"code":"8867-4","value":72.5,"unit":"/min"},
             {"code":"8867-4","value":73,"unit":"/min","time":"2026-11-24T11:00:00+01:00"}]}
            """);

    assertThat(readings.get(0).effectiveAt()).isEqualTo(RECEIVED);
    assertThat(readings.get(0).value()).isEqualTo(72.5);
    assertThat(readings.get(1).effectiveAt()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
  }

  @Test
  void ignoresFieldsItDoesNotKnow() {
    assertThat(
            decode(
                """
                {"battery":81,"measurements":[{"code":"8867-4","value":72,"unit":"/min","q":1}]}
                """))
        .hasSize(1);
  }

  @Test
  void rejectsMalformedJson() {
    assertProblems(
        () -> decode("{\"measurements\":[{\"code\":\"8867-4\""),
        new MessageProblem(
            "$",
            "malformed JSON: Unexpected end-of-input: expected close marker for Object (line 1, column 34)"));
  }

  @Test
  void rejectsDuplicateKeysRatherThanGuessingWhichCounts() {
    assertThatThrownBy(() ->
            decode(
                """
                {"measurements":[{"code":"8867-4","value":72,"value":75,"unit":"/min"}]}
                """))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("Duplicate Object property \"value\"");
  }

  @Test
  void namesEveryMissingOrWrongField() {
    assertProblems(
        () ->
            decode(
                """
                {"measurements":[{"code":"8867-4","unit":"/min"},
                  {"code":"","value":"72","unit":"%"},
                  {"code":"9279-1","value":16,"unit":"/min","time":"yesterday"}, 3]}
                """),
        new MessageProblem("measurements[0].value", "is required"),
        new MessageProblem("measurements[1].code", "must be a non-empty string"),
        new MessageProblem("measurements[1].value", "must be a number, was a string"),
        new MessageProblem(
            "measurements[2].time",
            "must be an ISO 8601 date-time with a UTC offset, e.g. 2026-11-24T10:00:00Z"),
        new MessageProblem("measurements[3]", "must be an object"));
  }

  @Test
  void rejectsMessagesWithoutReadings() {
    assertProblems(() -> decode("{}"), new MessageProblem("measurements", "is required"));
    assertProblems(
        () -> decode("{\"measurements\":[]}"),
        new MessageProblem("measurements", "must contain at least one measurement"));
    assertProblems(
        () -> decode("{\"measurements\":{}}"),
        new MessageProblem("measurements", "must be an array"));
    assertProblems(
        () -> decode("[]"),
        new MessageProblem("$", "expected a JSON object with a \"measurements\" array"));
    assertProblems(() -> decode(""), new MessageProblem("$", "the message is empty"));
  }

  @Test
  void limitsReadingsPerMessage() {
    String many =
        "{\"measurements\":["
            + String.join(
                ",",
                java.util.Collections.nCopies(
                    101, "{\"code\":\"8867-4\",\"value\":1,\"unit\":\"/min\"}"))
            + "]}";
    assertProblems(
        () -> decode(many),
        new MessageProblem(
            "measurements", "has 101 measurements; at most 100 are accepted in one message"));
  }

  private static void assertProblems(ThrowingCallable call, MessageProblem... expected) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidMessageException.class, e -> assertThat(e.problems()).containsExactly(expected));
  }
}
