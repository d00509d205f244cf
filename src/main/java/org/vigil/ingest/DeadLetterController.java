package org.vigil.ingest;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.api.ApiException;
import org.vigil.log.IngestLogUnavailableException;

/**
 * {@code /api/v1/dead-letters}: what could not be read and why; replay one after fixing the cause.
 */
@RestController
class DeadLetterController {

  private final DeadLetters deadLetters;
  private final IngestService ingest;
  private final IngestProperties limits;

  private final List<DeadLetterReplay> transports;

  DeadLetterController(
      DeadLetters deadLetters,
      IngestService ingest,
      IngestProperties limits,
      List<DeadLetterReplay> transports) {
    this.deadLetters = deadLetters;
    this.ingest = ingest;
    this.limits = limits;
    this.transports = transports;
  }

  record Page(long total, List<DeadLetter> deadLetters) {}

  record ReplayResult(long id, boolean stored, int readings, String outcome) {}

  @GetMapping("/api/v1/dead-letters")
  Page list(
      @RequestParam Optional<String> device,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "100") int count) {
    if (offset < 0 || count < 0 || count > 1000) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.INVALID, "offset >= 0 and 0 <= count <= 1000");
    }
    return new Page(deadLetters.count(), deadLetters.list(device, offset, count));
  }

  @GetMapping("/api/v1/dead-letters/{id}")
  DeadLetter one(@PathVariable long id) {
    return deadLetters.find(id).orElseThrow(() -> notFound(id));
  }

  /**
   * Runs the message through ingestion again, with its original receive time. On success its
   * readings are stored; either way the outcome is recorded on the dead letter.
   */
  @PostMapping("/api/v1/dead-letters/{id}/replay")
  ReplayResult replay(@PathVariable long id) throws InterruptedException {
    DeadLetter letter = deadLetters.find(id).orElseThrow(() -> notFound(id));
    byte[] kept = deadLetters.payload(id).orElseThrow(() -> notFound(id));
    for (DeadLetterReplay transport : transports) {
      if (!letter.truncated() && transport.replays(letter.content())) {
        DeadLetterReplay.Outcome outcome = transport.replay(letter, kept);
        deadLetters.markReplayed(id, outcome.description());
        return new ReplayResult(id, outcome.stored(), outcome.readings(), outcome.description());
      }
    }
    if (letter.truncated() || letter.deviceId().isEmpty()) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          IssueType.NOTSUPPORTED,
          "dead letter "
              + id
              + (letter.truncated()
                  ? " kept only the first bytes of the message and cannot be replayed"
                  : " has no device to replay it as"));
    }
    DeviceContent content = content(letter);
    DeviceEnvelope envelope =
        new DeviceEnvelope(
            letter.deviceId().get(), letter.transport(), content, kept, letter.receivedAt());
    String outcome;
    int readings = 0;
    boolean stored = false;
    try {
      readings =
          ingest.replay(envelope).get(limits.durableTimeout().toMillis(), TimeUnit.MILLISECONDS);
      stored = true;
      outcome = "stored " + readings + " readings";
    } catch (RuntimeException e) {
      outcome = "failed: " + e.getMessage();
    } catch (ExecutionException | TimeoutException e) {
      throw new IngestLogUnavailableException("the replayed readings could not be stored; retry");
    }
    deadLetters.markReplayed(id, outcome);
    return new ReplayResult(id, stored, readings, outcome);
  }

  private static DeviceContent content(DeadLetter letter) {
    String content = letter.content();
    if (content.equals("json")) {
      return DeviceContent.JSON;
    }
    if (content.startsWith("gatt/")) {
      return new DeviceContent.Gatt(content.substring("gatt/".length()));
    }
    throw new ApiException(
        HttpStatus.CONFLICT,
        IssueType.NOTSUPPORTED,
        "dead letters of kind " + content + " are replayed by their transport");
  }

  private static ApiException notFound(long id) {
    return new ApiException(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no dead letter " + id);
  }
}
