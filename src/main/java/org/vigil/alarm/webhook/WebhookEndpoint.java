package org.vigil.alarm.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.AlarmEvent;
import org.vigil.outbound.WebhookSigner;

/**
 * A configured webhook, ready to deliver to: its URL, the signer keyed with its secret, and which
 * changes it is sent.
 */
record WebhookEndpoint(String url, URI uri, WebhookSigner signer, EventFilter filter) {

  /** The endpoint a setting describes; its secret file is read now, so a missing one fails here. */
  static WebhookEndpoint of(int index, WebhookProperties.Webhook webhook) {
    String setting = "vigil.alarm.webhooks[" + index + "]";
    byte[] secret;
    if (webhook.secretFile() != null) {
      try {
        // a file written by an editor or `echo` ends with a line break that is not the secret's
        secret =
            Files.readString(webhook.secretFile(), StandardCharsets.UTF_8)
                .replaceFirst("\\R+$", "")
                .getBytes(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(
            setting + ".secret-file " + webhook.secretFile() + " could not be read", e);
      }
      if (secret.length < 16) {
        throw new IllegalArgumentException(
            setting + ".secret-file must hold a secret of at least 16 bytes");
      }
    } else {
      secret = webhook.secret().getBytes(StandardCharsets.UTF_8);
    }
    return new WebhookEndpoint(
        webhook.url(),
        URI.create(webhook.url()),
        new WebhookSigner(secret),
        EventFilter.of(setting + ".events", webhook.events()));
  }

  boolean wants(Alarm alarm, AlarmEvent.Kind what) {
    return filter.accepts(alarm, what);
  }

  @Override
  public String toString() {
    return url; // never the secret
  }
}
