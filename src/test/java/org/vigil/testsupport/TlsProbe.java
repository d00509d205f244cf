package org.vigil.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a real TLS client (OpenSSL's {@code s_client}) gets from a listener when it offers one
 * protocol version and, optionally, only certain cipher suites. The client is told to offer even
 * what it would refuse itself ({@code @SECLEVEL=0}), so a refusal can only come from the server.
 */
public final class TlsProbe {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TlsProbe() {}

  /**
   * @param port the listener on localhost
   * @param version {@code 1_1}, {@code 1_2} or {@code 1_3}
   * @param ciphers OpenSSL cipher list for TLS 1.2 and below, or null for the defaults
   * @return whether a session with that version was established
   */
  public static boolean connects(int port, String version, String ciphers) {
    return handshake(port, version, ciphers).contains("New, TLSv" + version.replace('_', '.'));
  }

  /** The client's whole report of the handshake. */
  public static String handshake(int port, String version, String ciphers) {
    List<String> command =
        new ArrayList<>(
            List.of("openssl", "s_client", "-connect", "localhost:" + port, "-tls" + version));
    if (ciphers != null) {
      command.addAll(List.of("-cipher", ciphers + "@SECLEVEL=0"));
    } else if (version.equals("1_1")) {
      command.addAll(List.of("-cipher", "DEFAULT@SECLEVEL=0"));
    }
    return Command.run(TIMEOUT, command).output();
  }
}
