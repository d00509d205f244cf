package org.vigil.fhir.subscription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Subscription;

/**
 * A subscription as Vigil keeps it: the Subscription resource as last written (JSON), and what
 * delivery needs of it, already checked.
 *
 * @param id the Subscription's id
 * @param owner whose it is
 * @param criteria what it matches
 * @param channel {@code rest-hook} or {@code websocket}
 * @param endpoint where a rest-hook POSTs; empty for a websocket
 * @param payload the MIME type notifications carry the resource in; empty for an empty notification
 * @param headers {@code Name: value} lines a rest-hook sends with each POST
 * @param status {@code requested}, {@code active}, {@code error} or {@code off}
 * @param end when it stops delivering, if it does
 * @param resource the Subscription as JSON
 */
record StoredSubscription(
    String id,
    Owner owner,
    Criteria criteria,
    String channel,
    Optional<String> endpoint,
    Optional<String> payload,
    List<String> headers,
    String status,
    Optional<Instant> end,
    String resource) {

  static final String REST_HOOK = "rest-hook";
  static final String WEBSOCKET = "websocket";

  StoredSubscription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(criteria, "criteria");
    headers = List.copyOf(headers);
    Objects.requireNonNull(resource, "resource");
  }

  /** A Subscription Vigil cannot deliver, what is wrong with it and where. */
  static final class InvalidSubscription extends IllegalArgumentException {
    final String expression;

    InvalidSubscription(String message, String expression) {
      super(message);
      this.expression = expression;
    }
  }

  private static final Set<String> PAYLOADS =
      Set.of("application/fhir+json", "application/json", "application/fhir+xml");

  /** Headers a rest-hook may not set: the HTTP client's own, or ones that change the request. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of(
          "connection",
          "content-length",
          "content-type",
          "expect",
          "host",
          "upgrade",
          "transfer-encoding",
          "te",
          "trailer",
          "via");

  /**
   * What delivery needs of a Subscription, checked: its criteria, its channel (rest-hook or
   * websocket), payload and headers. The endpoint's allow-list is checked by the caller.
   */
  static StoredSubscription from(Subscription resource, Owner owner, String status, String json) {
    Criteria criteria;
    try {
      criteria = Criteria.parse(resource.getCriteria());
    } catch (Criteria.InvalidCriteria e) {
      throw new InvalidSubscription(e.getMessage(), "Subscription.criteria");
    }
    if (!resource.hasChannel() || !resource.getChannel().hasType()) {
      throw new InvalidSubscription(
          "channel.type is required: rest-hook or websocket", "Subscription.channel.type");
    }
    Subscription.SubscriptionChannelComponent channel = resource.getChannel();
    String type = channel.getType().toCode();
    if (!Set.of(REST_HOOK, WEBSOCKET).contains(type)) {
      throw new InvalidSubscription(
          "channel.type " + type + " is not supported; use rest-hook or websocket",
          "Subscription.channel.type");
    }
    Optional<String> endpoint = Optional.empty();
    if (type.equals(REST_HOOK)) {
      if (!channel.hasEndpoint() || channel.getEndpoint().isBlank()) {
        throw new InvalidSubscription(
            "a rest-hook needs channel.endpoint, the URL to POST to",
            "Subscription.channel.endpoint");
      }
      endpoint = Optional.of(channel.getEndpoint().strip());
    }
    Optional<String> payload =
        channel.hasPayload() ? Optional.of(channel.getPayload().strip()) : Optional.empty();
    if (payload.isPresent() && !PAYLOADS.contains(payload.get())) {
      throw new InvalidSubscription(
          "channel.payload "
              + payload.get()
              + " is not supported; use application/fhir+json or application/fhir+xml, or leave"
              + " it out for empty notifications",
          "Subscription.channel.payload");
    }
    List<String> headers = new ArrayList<>();
    for (int i = 0; i < channel.getHeader().size(); i++) {
      String header = channel.getHeader().get(i).getValue();
      String at = "Subscription.channel.header[" + i + "]";
      int colon = header == null ? -1 : header.indexOf(':');
      if (colon <= 0
          || !header.substring(0, colon).strip().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        throw new InvalidSubscription("a channel.header is Name: value, not " + header, at);
      }
      if (header.contains("\r") || header.contains("\n")) {
        throw new InvalidSubscription("a channel.header is one line", at);
      }
      if (RESTRICTED_HEADERS.contains(
          header.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT))) {
        throw new InvalidSubscription(
            "channel.header may not set " + header.substring(0, colon).strip(), at);
      }
      headers.add(header.strip());
    }
    Optional<Instant> end =
        resource.hasEnd() ? Optional.of(resource.getEnd().toInstant()) : Optional.empty();
    return new StoredSubscription(
        resource.getIdElement().getIdPart(),
        owner,
        criteria,
        type,
        endpoint,
        payload,
        headers,
        status,
        end,
        json);
  }

  boolean activeAt(Instant now) {
    return status.equals("active") && end.map(now::isBefore).orElse(true);
  }
}
