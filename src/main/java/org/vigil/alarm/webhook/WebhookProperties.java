package org.vigil.alarm.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.vigil.outbound.EndpointAllowList;

/**
 * Outbound alarm webhooks: where every alarm change is POSTed, signed, and how deliveries are
 * retried. Checked at start-up: a webhook that could never be delivered (not http or https, not on
 * the allow-list, no secret) stops the node with a message naming the setting, rather than failing
 * quietly at the first alarm.
 *
 * @param webhooks the endpoints ({@code vigil.alarm.webhooks[0].url} and so on); none by default
 * @param webhookAllowedEndpoints where webhooks may point: URL prefixes such as {@code
 *     https://pager.example.org/vigil/}, {@code *} for any port; empty (the default) refuses every
 *     webhook, so that a mistyped setting cannot make Vigil call an internal service or a cloud's
 *     metadata endpoint (server-side request forgery)
 * @param webhookMaxAttempts how often one delivery is tried before it becomes a dead letter
 * @param webhookFirstRetry the wait before the first retry; it doubles with each further one
 * @param webhookMaxRetryWait the longest wait between two attempts, a receiver's {@code
 *     Retry-After} included
 * @param webhookTimeout how long one POST may take, connecting included
 * @param webhookQueueCapacity deliveries waiting for one endpoint beyond which new ones are dropped
 *     (and counted) rather than held without bound
 */
@ConfigurationProperties("vigil.alarm")
public record WebhookProperties(
    List<Webhook> webhooks,
    @DefaultValue({}) List<String> webhookAllowedEndpoints,
    @DefaultValue("5") int webhookMaxAttempts,
    @DefaultValue("PT0.5S") Duration webhookFirstRetry,
    @DefaultValue("PT1M") Duration webhookMaxRetryWait,
    @DefaultValue("PT5S") Duration webhookTimeout,
    @DefaultValue("1000") int webhookQueueCapacity) {

  /** The setting of where webhooks may point. */
  public static final String ALLOWED_ENDPOINTS = "vigil.alarm.webhook-allowed-endpoints";

  /**
   * One endpoint.
   *
   * @param url where to POST, http or https, allowed by {@code webhook-allowed-endpoints}
   * @param secret the shared secret the signature is made with; or
   * @param secretFile a file holding it (a trailing line break is not part of it), so that it need
   *     not be in the configuration
   * @param events which changes to send: any of {@code raised updated acknowledged resolved
   *     escalated snoozed} and of the priorities {@code high medium low}; empty sends every change.
   *     Names of both kinds must both match ({@code resolved, high}: high priority alarms resolved)
   */
  public record Webhook(String url, String secret, Path secretFile, List<String> events) {

    public Webhook {
      events = events == null ? List.of() : List.copyOf(events);
    }

    /** Never the secret: settings end up in logs. */
    @Override
    public String toString() {
      return "Webhook[url="
          + url
          + ", secret="
          + (secret == null ? "none" : "(redacted)")
          + ", secretFile="
          + secretFile
          + ", events="
          + events
          + "]";
    }
  }

  public WebhookProperties {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    webhookAllowedEndpoints =
        webhookAllowedEndpoints == null ? List.of() : List.copyOf(webhookAllowedEndpoints);
    if (webhookMaxAttempts < 1 || webhookMaxAttempts > 20) {
      throw new IllegalArgumentException(
          "vigil.alarm.webhook-max-attempts must be between 1 and 20");
    }
    if (webhookFirstRetry == null || webhookFirstRetry.isNegative()) {
      throw new IllegalArgumentException("vigil.alarm.webhook-first-retry must not be negative");
    }
    if (webhookMaxRetryWait == null || webhookMaxRetryWait.compareTo(webhookFirstRetry) < 0) {
      throw new IllegalArgumentException(
          "vigil.alarm.webhook-max-retry-wait must be at least webhook-first-retry");
    }
    if (webhookTimeout == null || webhookTimeout.isNegative() || webhookTimeout.isZero()) {
      throw new IllegalArgumentException("vigil.alarm.webhook-timeout must be positive");
    }
    if (webhookQueueCapacity < 1) {
      throw new IllegalArgumentException("vigil.alarm.webhook-queue-capacity must be at least 1");
    }
    EndpointAllowList allowList =
        EndpointAllowList.of(ALLOWED_ENDPOINTS, "webhook", webhookAllowedEndpoints);
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < webhooks.size(); i++) {
      Webhook webhook = webhooks.get(i);
      String setting = "vigil.alarm.webhooks[" + i + "]";
      checkUrl(setting, webhook.url());
      allowList
          .problem(webhook.url())
          .ifPresent(p -> {
            throw new IllegalArgumentException(setting + ".url: " + p);
          });
      boolean hasSecret = webhook.secret() != null && !webhook.secret().isEmpty();
      if (hasSecret == (webhook.secretFile() != null)) {
        throw new IllegalArgumentException(
            setting + " needs exactly one of secret and secret-file, to sign its deliveries with");
      }
      if (hasSecret && webhook.secret().length() < 16) {
        throw new IllegalArgumentException(
            setting + ".secret must be at least 16 characters long (better: 32 random bytes)");
      }
      EventFilter.of(setting + ".events", webhook.events());
      if (urls.contains(webhook.url())) {
        throw new IllegalArgumentException(
            setting + ".url " + webhook.url() + " is configured twice");
      }
      urls.add(webhook.url());
    }
  }

  private static void checkUrl(String setting, String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(setting + ".url is required");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(setting + ".url is not a URL: " + e.getMessage(), e);
    }
    String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          setting
              + ".url must be an http or https URL, not "
              + (scheme.isEmpty() ? "a relative one" : scheme + ":")
              + " ("
              + url
              + ")");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(setting + ".url has no host: " + url);
    }
  }
}
