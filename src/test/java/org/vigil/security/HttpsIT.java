package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.testsupport.Command;
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
    // SECLEVEL=0 lets this client offer TLS 1.1 at all, so a refusal can only come from the server.
    Command.Result old =
        Command.run(
            TIMEOUT,
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "localhost:" + HTTPS_PORT,
                "-tls1_1",
                "-cipher",
                "DEFAULT@SECLEVEL=0"));
    assertThat(old.output()).containsAnyOf("alert protocol version", "no protocols available");
    assertThat(old.output()).doesNotContain("New, TLSv1.1");

    for (String version : List.of("1_2", "1_3")) {
      Command.Result current =
          Command.run(
              TIMEOUT,
              List.of(
                  "openssl", "s_client", "-connect", "localhost:" + HTTPS_PORT, "-tls" + version));
      assertThat(current.output()).contains("New, TLSv" + version.replace('_', '.'));
    }
    Command.Result weak =
        Command.run(
            TIMEOUT,
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "localhost:" + HTTPS_PORT,
                "-tls1_2",
                "-cipher",
                "AES128-SHA:DES-CBC3-SHA@SECLEVEL=0"));
    assertThat(weak.output())
        .as("no cipher suite without forward secrecy or authenticated encryption")
        .doesNotContain("New, TLSv1.2");
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
