package org.vigil.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Device tokens: 256 random bits, shown once at registration, stored only as a SHA-256 hash. A fast
 * hash is right for secrets this long (no dictionary to search) and keeps the check on every device
 * message cheap; the comparison is constant-time.
 */
public final class DeviceTokens {

  /** Marks a string as a Vigil device token, so leaked tokens are easy to scan for. */
  static final String PREFIX = "vgd_";

  private final SecureRandom random;

  public DeviceTokens(SecureRandom random) {
    this.random = random;
  }

  public String generate() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  public static boolean matches(String token, String expectedHash) {
    byte[] expected;
    try {
      expected = HexFormat.of().parseHex(expectedHash);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(sha256(token), expected);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
