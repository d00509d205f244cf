package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.testsupport.VigilProcess;
import org.vigil.testsupport.WebSignIn;

/**
 * Vigil as a pure resource server behind an external OpenID Connect issuer. The issuer is a real,
 * separately running OIDC provider — a second Vigil node, whose embedded Spring Authorization
 * Server publishes discovery, JWKS and tokens like any other — and the node under test is told only
 * its URL. A system's token and a nurse's token from it are accepted and mapped (the nurse to the
 * local nurse's ward); a token signed with the node's own key is refused.
 */
class ExternalIssuerIT {

  private static final Duration START = Duration.ofSeconds(120);
  private static final Pattern SECRET = Pattern.compile("secret: (vgc_\\S+)");
  private static final Pattern PASSWORD = Pattern.compile("password: (\\S+)");

  @TempDir Path issuerDir;
  @TempDir Path nodeDir;

  @Test
  void tokensFromTheIssuerAreAcceptedAndMappedAndTheNodesOwnAreRefused() throws Exception {
    int issuerPort = VigilProcess.freePort();
    int nodePort = VigilProcess.freePort();
    try (VigilProcess issuer =
            VigilProcess.start(
                    "oidc-issuer",
                    issuerPort,
                    "serve",
                    "--http-port",
                    String.valueOf(issuerPort),
                    "--data-dir",
                    issuerDir.toString())
                .awaitReady(START);
        VigilProcess node =
            VigilProcess.start(
                    "oidc-resource-server",
                    nodePort,
                    "demo",
                    "--patients",
                    "1",
                    "--http-port",
                    String.valueOf(nodePort),
                    "--oidc-issuer",
                    "http://127.0.0.1:" + issuerPort,
                    "--data-dir",
                    nodeDir.toString())
                .awaitReady(START)) {
      String secret =
          find(SECRET, cli("clients", "add", "ehr", "--scope", "system/*.rs", issuerDir));
      String nursePassword =
          find(PASSWORD, cli("users", "add", "nurse", "--role", "nurse", issuerDir));

      // A system's token from the issuer: the node accepts it and applies its scopes.
      String system = issuer.api().token("ehr", secret, null);
      assertThat(node.api().get("/fhir/Patient/patient-001", system).statusCode()).isEqualTo(200);

      // A person's token from the issuer: mapped to the node's own nurse, who works on Ward 7B.
      String nurse =
          new WebSignIn(issuer.api().base())
              .accessToken("nurse", nursePassword, "openid user/*.rs");
      assertThat(node.api().get("/fhir/Patient/patient-001", nurse).statusCode()).isEqualTo(200);
      assertThat(node.api().get("/fhir/AuditEvent?patient=patient-001", nurse).statusCode())
          .as("a nurse's scopes do not reach the audit trail")
          .isEqualTo(403);

      // The node's own key no longer makes tokens it accepts, and it issues none.
      RSAKey own = JwtSigningKey.loadOrCreate(nodeDir.resolve("keys/jwt-signing-key.json"));
      String forged = signed(own, "http://127.0.0.1:" + nodePort);
      assertThat(node.api().get("/fhir/Patient/patient-001", forged).statusCode()).isEqualTo(401);
      String forgedAsIssuer = signed(own, "http://127.0.0.1:" + issuerPort);
      assertThat(node.api().get("/fhir/Patient/patient-001", forgedAsIssuer).statusCode())
          .as("the issuer's name, the node's key")
          .isEqualTo(401);
      assertThat(
              node.api()
                  .post(
                      "/oauth2/token",
                      null,
                      "application/x-www-form-urlencoded",
                      "grant_type=client_credentials")
                  .statusCode())
          .as("no token endpoint of its own")
          .isNotEqualTo(200);
    }
  }

  private static String cli(
      String command, String subcommand, String name, String option, String value, Path dataDir) {
    VigilProcess.Result result =
        VigilProcess.run(
            Duration.ofSeconds(90),
            command,
            subcommand,
            name,
            option,
            value,
            "--data-dir",
            dataDir.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result.stdout();
  }

  private static String find(Pattern pattern, String output) {
    Matcher m = pattern.matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return m.group(1);
  }

  private static String signed(RSAKey key, String issuer) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject("ehr")
            .audience(List.of(SecurityConfiguration.API_AUDIENCE))
            .claim("scope", List.of("system/*.rs"))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
