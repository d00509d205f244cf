package org.vigil.alarm.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.AlarmEvent;
import org.vigil.alarm.AlarmPriority;
import org.vigil.alarm.AlarmStatus;

class WebhookPropertiesTest {

  private static final String SECRET = "0123456789abcdef0123";

  private static WebhookProperties with(List<String> allowed, WebhookProperties.Webhook... hooks) {
    return new WebhookProperties(
        List.of(hooks),
        allowed,
        5,
        Duration.ofMillis(500),
        Duration.ofMinutes(1),
        Duration.ofSeconds(5),
        1000);
  }

  private static WebhookProperties.Webhook hook(String url, String... events) {
    return new WebhookProperties.Webhook(url, SECRET, null, List.of(events));
  }

  @Test
  void acceptsAnAllowedHttpsWebhook() {
    WebhookProperties settings =
        with(
            List.of("https://pager.example.org/vigil/"), hook("https://pager.example.org/vigil/a"));
    assertThat(settings.webhooks()).hasSize(1);
    assertThat(settings.toString()).contains("pager.example.org").doesNotContain(SECRET);
  }

  private static WebhookProperties bind(java.util.Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("vigil.alarm", WebhookProperties.class);
  }

  @Test
  void bindsAsSpringReadsTheSettings() {
    WebhookProperties settings =
        bind(
            java.util.Map.of(
                "vigil.alarm.webhook-allowed-endpoints", "https://pager.example.org/vigil/",
                "vigil.alarm.webhooks[0].url", "https://pager.example.org/vigil/alarms",
                "vigil.alarm.webhooks[0].secret", SECRET,
                "vigil.alarm.webhooks[0].events", "raised,high"));
    assertThat(settings.webhooks())
        .singleElement()
        .satisfies(w -> {
          assertThat(w.url()).isEqualTo("https://pager.example.org/vigil/alarms");
          assertThat(w.events()).containsExactly("raised", "high");
        });
    assertThat(settings.webhookMaxAttempts()).isEqualTo(5);
    assertThat(settings.webhookFirstRetry()).isEqualTo(Duration.ofMillis(500));
    assertThat(bind(java.util.Map.of()).webhooks()).isEmpty();
    assertThatThrownBy(() ->
            bind(
                java.util.Map.of(
                    "vigil.alarm.webhook-allowed-endpoints", "http://127.0.0.1:*",
                    "vigil.alarm.webhooks[0].url", "ftp://127.0.0.1/x",
                    "vigil.alarm.webhooks[0].secret", SECRET)))
        .rootCause()
        .hasMessageContaining("vigil.alarm.webhooks[0].url must be an http or https URL, not ftp:");
  }

  @Test
  void refusesNonHttpUrlsAtStartNamingTheSetting() {
    assertThatThrownBy(() -> with(List.of("http://127.0.0.1:*"), hook("ftp://127.0.0.1/x")))
        .hasMessageContaining("vigil.alarm.webhooks[0].url must be an http or https URL, not ftp:");
    assertThatThrownBy(() -> with(List.of("http://127.0.0.1:*"), hook("file:///etc/passwd")))
        .hasMessageContaining("must be an http or https URL");
    assertThatThrownBy(() -> with(List.of("http://127.0.0.1:*"), hook("/relative")))
        .hasMessageContaining("not a relative one");
  }

  @Test
  void refusesUrlsTheAllowListDoesNotAllow() {
    assertThatThrownBy(() -> with(List.of(), hook("https://pager.example.org/vigil/")))
        .hasMessageContaining("vigil.alarm.webhooks[0].url")
        .hasMessageContaining(WebhookProperties.ALLOWED_ENDPOINTS);
    assertThatThrownBy(
            () -> with(List.of("https://pager.example.org/vigil/"), hook("https://evil.test/")))
        .hasMessageContaining("is not among those");
  }

  @Test
  void refusesMetadataEndpointsEvenWhenAllowed() {
    List<String> careless =
        List.of(
            "http://169.254.169.254:*", "http://metadata.google.internal:*", "http://[fe80::1]:*");
    assertThatThrownBy(() -> with(careless, hook("http://169.254.169.254/latest/meta-data/")))
        .hasMessageContaining("link-local");
    assertThatThrownBy(
            () -> with(careless, hook("http://metadata.google.internal/computeMetadata/")))
        .hasMessageContaining("metadata service");
    assertThatThrownBy(() -> with(careless, hook("http://[fe80::1]/")))
        .hasMessageContaining("link-local");
  }

  @Test
  void needsExactlyOneSecretOfSomeLength(@TempDir Path dir) throws Exception {
    List<String> allowed = List.of("http://127.0.0.1:*");
    assertThatThrownBy(() ->
            with(allowed, new WebhookProperties.Webhook("http://127.0.0.1/h", null, null, null)))
        .hasMessageContaining("exactly one of secret and secret-file");
    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET + "\n");
    assertThatThrownBy(() ->
            with(allowed, new WebhookProperties.Webhook("http://127.0.0.1/h", SECRET, file, null)))
        .hasMessageContaining("exactly one of secret and secret-file");
    assertThatThrownBy(() ->
            with(allowed, new WebhookProperties.Webhook("http://127.0.0.1/h", "short", null, null)))
        .hasMessageContaining("at least 16 characters");
  }

  @Test
  void readsTheSecretFileWithoutItsLineBreak(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET + "\n");
    WebhookEndpoint fromFile =
        WebhookEndpoint.of(
            0, new WebhookProperties.Webhook("http://127.0.0.1/h", null, file, null));
    WebhookEndpoint inline = WebhookEndpoint.of(0, hook("http://127.0.0.1/h"));
    byte[] body = "{}".getBytes();
    assertThat(fromFile.signer().sign("1", body)).isEqualTo(inline.signer().sign("1", body));
    assertThatThrownBy(() ->
            WebhookEndpoint.of(
                3,
                new WebhookProperties.Webhook(
                    "http://127.0.0.1/h", null, dir.resolve("missing"), null)))
        .hasMessageContaining("vigil.alarm.webhooks[3].secret-file");
  }

  @Test
  void filtersByChangeAndPriority() {
    EventFilter all = EventFilter.of("x", List.of());
    EventFilter resolvedHigh = EventFilter.of("x", List.of("resolved", "HIGH"));
    EventFilter medium = EventFilter.of("x", List.of("medium"));
    Alarm high = alarm(AlarmPriority.HIGH);
    assertThat(all.accepts(high, AlarmEvent.Kind.SNOOZED)).isTrue();
    assertThat(resolvedHigh.accepts(high, AlarmEvent.Kind.RESOLVED)).isTrue();
    assertThat(resolvedHigh.accepts(high, AlarmEvent.Kind.RAISED)).isFalse();
    assertThat(resolvedHigh.accepts(alarm(AlarmPriority.MEDIUM), AlarmEvent.Kind.RESOLVED))
        .isFalse();
    assertThat(medium.accepts(alarm(AlarmPriority.MEDIUM), AlarmEvent.Kind.ESCALATED)).isTrue();
    assertThat(medium.accepts(high, AlarmEvent.Kind.ESCALATED)).isFalse();
    assertThatThrownBy(
            () -> with(List.of("http://127.0.0.1:*"), hook("http://127.0.0.1/h", "rasied")))
        .hasMessageContaining("vigil.alarm.webhooks[0].events: rasied is neither");
  }

  @Test
  void readsRetryAfterInSecondsOrAsADate() {
    Instant now = Instant.parse("2026-12-03T10:00:00Z");
    assertThat(WebhookDelivery.parseRetryAfter("7", now)).contains(Duration.ofSeconds(7));
    assertThat(WebhookDelivery.parseRetryAfter("Thu, 03 Dec 2026 10:00:30 GMT", now))
        .contains(Duration.ofSeconds(30));
    assertThat(WebhookDelivery.parseRetryAfter("Thu, 03 Dec 2026 09:00:00 GMT", now))
        .contains(Duration.ZERO);
    assertThat(WebhookDelivery.parseRetryAfter("soon", now)).isEmpty();
  }

  private static Alarm alarm(AlarmPriority priority) {
    Instant at = Instant.parse("2026-12-03T10:00:00Z");
    return new Alarm(
        1,
        "p",
        "news2",
        priority,
        AlarmStatus.ACTIVE,
        "NEWS2 7",
        at,
        at,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        Optional.empty());
  }
}
