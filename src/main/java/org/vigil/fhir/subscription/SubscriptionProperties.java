package org.vigil.fhir.subscription;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.vigil.outbound.EndpointAllowList;

/**
 * How FHIR Subscriptions are delivered.
 *
 * @param allowedEndpoints where rest-hooks may point: each entry a URL prefix such as {@code
 *     https://ehr.example.org/fhir-hooks/}, with {@code *} for any port ({@code
 *     http://127.0.0.1:*}); empty (the default) refuses every rest-hook, so that no one can make
 *     Vigil send requests into the hospital network (server-side request forgery)
 * @param maxAttempts how often one notification is tried before the subscription goes to {@code
 *     error}
 * @param firstRetry the wait before the first retry; it doubles with each further one
 * @param timeout how long one POST to an endpoint may take, connecting included
 * @param queueCapacity notifications waiting for one subscription beyond which new ones are dropped
 *     (and counted) rather than held without bound
 * @param ownerCheckTtl how long what a subscription's owner may see is reused between deliveries
 * @param refreshInterval how often each node re-reads the subscriptions, to see those made or ended
 *     on other nodes
 */
@ConfigurationProperties("vigil.fhir.subscriptions")
public record SubscriptionProperties(
    @DefaultValue({}) List<String> allowedEndpoints,
    @DefaultValue("5") int maxAttempts,
    @DefaultValue("PT0.2S") Duration firstRetry,
    @DefaultValue("PT5S") Duration timeout,
    @DefaultValue("1000") int queueCapacity,
    @DefaultValue("PT5S") Duration ownerCheckTtl,
    @DefaultValue("PT10S") Duration refreshInterval) {

  /** The setting of where rest-hooks may point. */
  public static final String ALLOWED_ENDPOINTS = "vigil.fhir.subscriptions.allowed-endpoints";

  public SubscriptionProperties {
    allowedEndpoints = allowedEndpoints == null ? List.of() : List.copyOf(allowedEndpoints);
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new IllegalArgumentException(
          "vigil.fhir.subscriptions.max-attempts must be between 1 and 20");
    }
    if (firstRetry == null || firstRetry.isNegative()) {
      throw new IllegalArgumentException(
          "vigil.fhir.subscriptions.first-retry must not be negative");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("vigil.fhir.subscriptions.timeout must be positive");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException(
          "vigil.fhir.subscriptions.queue-capacity must be at least 1");
    }
    if (ownerCheckTtl == null || ownerCheckTtl.isNegative()) {
      throw new IllegalArgumentException(
          "vigil.fhir.subscriptions.owner-check-ttl must not be negative");
    }
    if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException(
          "vigil.fhir.subscriptions.refresh-interval must be positive");
    }
    // fail at start-up, not at the first rest-hook, on an entry that can never match
    EndpointAllowList.of(ALLOWED_ENDPOINTS, "rest-hook", allowedEndpoints);
  }
}
