package org.vigil.outbound;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook delivery: {@code X-Vigil-Signature: sha256=<hex>}, the HMAC-SHA256 (RFC 2104, the
 * JDK's {@link Mac}) keyed with the endpoint's secret over {@code <timestamp>.<body>} — the {@code
 * X-Vigil-Timestamp} value, a full stop, and the body's bytes exactly as sent. Signing the
 * timestamp too lets a receiver refuse an old delivery replayed by someone who recorded it. Alarm
 * webhooks and medication reminder webhooks sign alike, so one receiver verifies both.
 */
public final class WebhookSigner {

  public static final String ALGORITHM = "HmacSHA256";
  public static final String PREFIX = "sha256=";

  /** The headers a signed delivery carries: its time (epoch seconds) and its signature. */
  public static final String TIMESTAMP_HEADER = "X-Vigil-Timestamp";

  public static final String SIGNATURE_HEADER = "X-Vigil-Signature";

  private final SecretKeySpec key;

  public WebhookSigner(byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("a webhook secret must not be empty");
    }
    this.key = new SecretKeySpec(secret, ALGORITHM);
  }

  /** The {@code X-Vigil-Signature} value of the body sent with the timestamp. */
  public String sign(String timestamp, byte[] body) {
    return PREFIX + HexFormat.of().formatHex(mac(timestamp, body));
  }

  /** Whether the signature is this body's with this timestamp, compared in constant time. */
  public boolean verifies(String timestamp, byte[] body, String signature) {
    byte[] expected = sign(timestamp, body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signature == null ? new byte[0] : signature.getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  private byte[] mac(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe: one per signature
      mac.init(key);
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      // every Java platform must have HmacSHA256 (the Mac javadoc), so this is a broken JDK
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
