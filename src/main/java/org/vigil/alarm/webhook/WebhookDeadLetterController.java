package org.vigil.alarm.webhook;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.api.ApiException;

/**
 * {@code /api/v1/alarm-webhooks/dead-letters}: the alarm changes a webhook endpoint did not take,
 * and why; replay one once the receiver is fixed. Authorized as the ingest dead letters are
 * (SecurityConfiguration): device administration scopes.
 */
@RestController
class WebhookDeadLetterController {

  static final String PATH = "/api/v1/alarm-webhooks/dead-letters";

  private final WebhookDeadLetters deadLetters;
  private final AlarmWebhooks webhooks;

  WebhookDeadLetterController(WebhookDeadLetters deadLetters, AlarmWebhooks webhooks) {
    this.deadLetters = deadLetters;
    this.webhooks = webhooks;
  }

  record Page(long total, List<WebhookDeadLetter> deadLetters) {}

  record ReplayResult(long id, boolean delivered, Optional<Integer> status, String outcome) {}

  @GetMapping(PATH)
  Page list(
      @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int count) {
    if (offset < 0 || count < 0 || count > 1000) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.INVALID, "offset >= 0 and 0 <= count <= 1000");
    }
    return new Page(deadLetters.count(), deadLetters.list(offset, count));
  }

  @GetMapping(PATH + "/{id}")
  WebhookDeadLetter one(@PathVariable long id) {
    return deadLetters.find(id).orElseThrow(() -> notFound(id));
  }

  /**
   * One attempt to deliver it again, now, with its original body and event id; the answer says
   * whether the receiver took it, and the outcome is kept on the dead letter.
   */
  @PostMapping(PATH + "/{id}/replay")
  ReplayResult replay(@PathVariable long id) {
    WebhookDeadLetter letter = deadLetters.find(id).orElseThrow(() -> notFound(id));
    String body = deadLetters.payload(id).orElseThrow(() -> notFound(id));
    WebhookDelivery.Outcome outcome =
        webhooks
            .replay(letter, body)
            .orElseThrow(() ->
                new ApiException(
                    HttpStatus.CONFLICT,
                    IssueType.NOTSUPPORTED,
                    "dead letter "
                        + id
                        + " is for "
                        + letter.endpoint()
                        + ", which is no longer a configured alarm webhook"));
    return new ReplayResult(
        id,
        outcome.delivered(),
        outcome.status(),
        outcome.delivered() ? "delivered" : outcome.error());
  }

  private static ApiException notFound(long id) {
    return new ApiException(
        HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no alarm webhook dead letter " + id);
  }
}
