package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.testsupport.Command;
import org.vigil.testsupport.TlsProbe;
import org.vigil.testsupport.VigilServerTest;

/**
 * HTTPS with real clients: curl trusting only Vigil's CA, openssl s_client offering old and new
 * protocol versions; and the headers that keep browsers safe.
 */
class HttpsIT extends VigilServerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static String https(String path) {
    return "https://localhost:" + HTTPS_PORT + path;
  }

  @Test
  void curlReachesTheApiOverHttpsWithHstsTrustingVigilsCa() {
    Command.Result health =
        Command.run(
            TIMEOUT,
            List.of(
                "curl",
                "-sS",
                "-D",
                "-",
                "--cacert",
                DATA_DIR.resolve("ca/ca.crt").toString(),
                https("/actuator/health")));

    assertThat(health.exitCode()).as(health.output()).isZero();
    assertThat(health.stdout()).containsPattern("HTTP/[0-9.]+ 200");
    assertThat(health.stdout().toLowerCase()).contains("strict-transport-security: max-age=");
    assertThat(health.stdout()).contains("\"UP\"");

    Command.Result untrusted =
        Command.run(TIMEOUT, List.of("curl", "-sS", https("/actuator/health")));
    assertThat(untrusted.exitCode()).as("a client that does not trust Vigil's CA").isNotZero();
  }

  @Test
  void onlyTls12AndLaterAreSpoken() {
    String old = TlsProbe.handshake(HTTPS_PORT, "1_1", null);
    assertThat(old).containsAnyOf("alert protocol version", "no protocols available");
    assertThat(old).doesNotContain("New, TLSv1.1");
    assertThat(TlsProbe.connects(HTTPS_PORT, "1_2", null)).isTrue();
    assertThat(TlsProbe.connects(HTTPS_PORT, "1_3", null)).isTrue();
    assertThat(TlsProbe.connects(HTTPS_PORT, "1_2", "AES128-SHA:DES-CBC3-SHA"))
        .as("no cipher suite without forward secrecy or authenticated encryption")
        .isFalse();
  }

  @Test
  void theSignInPageCarriesTheHeadersThatKeepBrowsersSafe() {
    HttpResponse<String> login = api().get("/login", null);

    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'", "frame-ancestors 'none'");
    assertThat(login.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(login.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(login.headers().firstValue("Access-Control-Allow-Origin"))
        .as("CORS closed")
        .isEmpty();
  }
}
