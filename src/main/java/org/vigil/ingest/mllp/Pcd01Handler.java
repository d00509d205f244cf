package org.vigil.ingest.mllp;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vigil.ingest.DeadLetter;
import org.vigil.ingest.DeadLetterReplay;
import org.vigil.ingest.DeadLetters;
import org.vigil.ingest.DeviceNotAssignedException;
import org.vigil.ingest.IngestProperties;
import org.vigil.ingest.IngestService;
import org.vigil.ingest.RateLimitedException;
import org.vigil.log.IngestLogUnavailableException;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.InvalidMessageException;
import org.vigil.normalize.MessageProblem;
import org.vigil.normalize.hl7.Hl7Problem;
import org.vigil.normalize.hl7.Pcd01Acknowledgements;
import org.vigil.normalize.hl7.Pcd01Decoder;
import org.vigil.normalize.hl7.Pcd01Message;
import org.vigil.normalize.hl7.Pcd01Readings;
import org.vigil.normalize.hl7.Pcd01Rejected;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;

/**
 * One PCD-01 message, from decoding to acknowledgement: the patient from PID-3 (matched by medical
 * record number), else each device's assignment; each reading's device from OBX-18 (a registered
 * device id), else the sending gateway (MSH-3). MSA AA only once every reading is durable; AE with
 * ERR segments when the content is wrong; AR when the message cannot be processed or should be sent
 * again later. What is not stored becomes a dead letter.
 */
@Component
class Pcd01Handler implements DeadLetterReplay {

  static final String TRANSPORT = "mllp";
  static final String CONTENT = "hl7v2";
  private static final Logger log = LoggerFactory.getLogger(Pcd01Handler.class);

  private final Pcd01Decoder decoder;
  private final Pcd01Acknowledgements acknowledgements;
  private final IngestService ingest;
  private final PatientRepository patients;
  private final DeadLetters deadLetters;
  private final IngestProperties limits;
  private final Clock clock = Clock.systemUTC();

  Pcd01Handler(
      IngestService ingest,
      PatientRepository patients,
      DeadLetters deadLetters,
      IngestProperties limits) {
    this.decoder = new Pcd01Decoder(limits.deviceClockZone());
    this.acknowledgements = new Pcd01Acknowledgements(decoder);
    this.ingest = ingest;
    this.patients = patients;
    this.deadLetters = deadLetters;
    this.limits = limits;
  }

  Pcd01Decoder decoder() {
    return decoder;
  }

  Pcd01Acknowledgements acknowledgements() {
    return acknowledgements;
  }

  /** What became of a message: the acknowledgement and, for replays, the readings stored. */
  record Handled(Message acknowledgement, boolean stored, int readings, String description) {}

  Message handle(Message message) {
    return handle(message, clock.instant(), true).acknowledgement();
  }

  Handled handle(Message message, Instant receivedAt, boolean keepDeadLetter) {
    Pcd01Message decoded;
    try {
      decoded = decoder.decode(message);
    } catch (Pcd01Rejected e) {
      return failed(message, null, receivedAt, keepDeadLetter, e.problems(), true);
    }
    Pcd01Readings readings = Pcd01Readings.of(decoded, receivedAt);
    String device =
        readings.readings().isEmpty()
            ? decoded.sendingApplication()
            : readings.readings().getFirst().equipment();
    if (!readings.errors().isEmpty()) {
      return failed(message, device, receivedAt, keepDeadLetter, readings.errors(), false);
    }
    Optional<String> patient = Optional.empty();
    if (!decoded.patients().isEmpty()) {
      patient =
          decoded.patients().stream()
              .map(id -> patients.findByMrn(id.id()))
              .flatMap(Optional::stream)
              .map(Patient::id)
              .findFirst();
      if (patient.isEmpty()) {
        return failed(
            message,
            device,
            receivedAt,
            keepDeadLetter,
            List.of(
                Hl7Problem.error(
                    "PID",
                    1,
                    3,
                    204,
                    "no patient with medical record number " + decoded.patients().getFirst().id())),
            false);
      }
    }
    Map<String, List<DeviceReading>> byDevice = new LinkedHashMap<>();
    for (Pcd01Readings.EquipmentReading reading : readings.readings()) {
      byDevice.computeIfAbsent(reading.equipment(), e -> new ArrayList<>()).add(reading.reading());
    }
    List<CompletableFuture<Integer>> stored = new ArrayList<>();
    List<Hl7Problem> problems = new ArrayList<>();
    boolean retry = false;
    for (var group : byDevice.entrySet()) {
      try {
        stored.add(
            ingest.acceptReadings(
                group.getKey(), TRANSPORT, group.getValue(), patient, receivedAt));
      } catch (InvalidMessageException e) {
        problems.addAll(located(e, group.getKey()));
      } catch (DeviceNotAssignedException e) {
        problems.add(Hl7Problem.error("OBX", 1, 18, 204, e.getMessage()));
      } catch (RateLimitedException e) {
        problems.add(
            Hl7Problem.error("", 0, 0, Hl7Problem.APPLICATION_INTERNAL_ERROR, e.getMessage()));
        retry = true;
      }
    }
    if (!problems.isEmpty()) {
      return failed(message, device, receivedAt, keepDeadLetter && !retry, problems, retry);
    }
    int count = 0;
    try {
      for (CompletableFuture<Integer> future : stored) {
        count += future.get(limits.durableTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      String reason =
          e.getCause() instanceof IngestLogUnavailableException unavailable
              ? unavailable.getMessage()
              : "the readings were not confirmed durable in time; send the message again";
      return new Handled(
          acknowledgements.rejected(
              message,
              List.of(Hl7Problem.error("", 0, 0, Hl7Problem.APPLICATION_INTERNAL_ERROR, reason))),
          false,
          0,
          reason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Handled(acknowledgements.rejected(message, List.of()), false, 0, "interrupted");
    }
    return new Handled(
        acknowledgements.accepted(message, readings.warnings()),
        true,
        count,
        "stored " + count + " readings");
  }

  /** The acknowledgement for a message that is not stored, after keeping it as a dead letter. */
  private Handled failed(
      Message message,
      String device,
      Instant receivedAt,
      boolean keepDeadLetter,
      List<Hl7Problem> problems,
      boolean reject) {
    String reason =
        problems.stream().map(Hl7Problem::describe).reduce((a, b) -> a + "; " + b).orElse("");
    ingest.rejected(TRANSPORT, reject ? "rejected" : "invalid");
    if (keepDeadLetter) {
      deadLetters.record(device, TRANSPORT, CONTENT, encode(message), receivedAt, reason);
    }
    Message ack =
        reject
            ? acknowledgements.rejected(message, problems)
            : acknowledgements.contentError(message, problems);
    return new Handled(ack, false, 0, reason);
  }

  /** For text HAPI could not even parse: an AR, and the text kept as a dead letter. */
  String unparseable(String text, Exception cause) {
    List<Hl7Problem> problems =
        List.of(
            Hl7Problem.error(
                "",
                0,
                0,
                Hl7Problem.SEGMENT_SEQUENCE_ERROR,
                "not a readable HL7 v2 message: " + cause.getMessage()));
    ingest.rejected(TRANSPORT, "rejected");
    deadLetters.record(
        null,
        TRANSPORT,
        CONTENT,
        text.getBytes(StandardCharsets.UTF_8),
        clock.instant(),
        problems.getFirst().describe());
    return acknowledgements.reject(text, problems);
  }

  /** Normalization problems located back in the message: {@code OBX[3].unit} is OBX 3, field 6. */
  private static List<Hl7Problem> located(InvalidMessageException e, String device) {
    List<Hl7Problem> problems = new ArrayList<>();
    for (MessageProblem problem : e.problems()) {
      var m =
          java.util.regex.Pattern.compile("OBX\\[(\\d+)\\](?:\\.(\\w+))?")
              .matcher(problem.location());
      if (m.matches()) {
        int field =
            switch (m.group(2) == null ? "" : m.group(2)) {
              case "unit" -> 6;
              case "time" -> 14;
              case "code", "system" -> 3;
              default -> 5;
            };
        problems.add(
            Hl7Problem.error(
                "OBX",
                Integer.parseInt(m.group(1)),
                field,
                Hl7Problem.TABLE_VALUE_NOT_FOUND,
                problem.message()));
      } else {
        problems.add(
            Hl7Problem.error("OBX", 1, 18, 204, problem.message() + " (equipment " + device + ")"));
      }
    }
    return problems;
  }

  private byte[] encode(Message message) {
    try {
      return message.encode().getBytes(StandardCharsets.UTF_8);
    } catch (HL7Exception e) {
      return new byte[0];
    }
  }

  @Override
  public boolean replays(String content) {
    return CONTENT.equals(content);
  }

  @Override
  public Outcome replay(DeadLetter letter, byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
    Message message;
    try {
      message = decoder.parse(text);
    } catch (Pcd01Rejected e) {
      return new Outcome(false, 0, "failed: " + e.getMessage());
    }
    Handled handled = handle(message, letter.receivedAt(), false);
    if (!handled.stored()) {
      log.debug("Replay of dead letter {} failed: {}", letter.id(), handled.description());
    }
    return new Outcome(
        handled.stored(),
        handled.readings(),
        handled.stored() ? handled.description() : "failed: " + handled.description());
  }
}
