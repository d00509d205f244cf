package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.testsupport.VigilServerTest;

/**
 * Forged and doctored access tokens against the real HTTP server: each is refused with 401. A token
 * forged the same way but correctly — Vigil's key, valid times, Vigil's audience — is accepted,
 * which shows the refusals are for the flaw each one carries and not for how the test made it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAttacksIT extends VigilServerTest {

  private static final String PATIENTS = "/fhir/Patient";

  @Autowired ClientRegistry clients;

  private RSAKey vigilKey;
  private String realToken;

  @BeforeAll
  void keys() {
    vigilKey = JwtSigningKey.loadOrCreate(DATA_DIR.resolve("keys/jwt-signing-key.json"));
    String secret = clients.register("attack-reader", Set.of("system/Patient.rs"), "test");
    realToken = api().token("attack-reader", secret, null);
  }

  private JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .subject("attack-reader")
        .audience(List.of(SecurityConfiguration.API_AUDIENCE))
        .claim("client_id", "attack-reader")
        .claim("scope", List.of("system/*.cruds"))
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plusSeconds(300)));
  }

  private static String signed(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private int status(String token) {
    HttpResponse<String> response = api().get(PATIENTS, token);
    return response.statusCode();
  }

  @Test
  void aCorrectlyForgedTokenWithVigilsKeyIsAccepted() throws Exception {
    assertThat(status(signed(vigilKey, claims().build()))).isEqualTo(200);
    assertThat(status(realToken)).isEqualTo(200);
  }

  @Test
  void anUnsignedTokenIsRefused() {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = url.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        url.encodeToString(claims().build().toString().getBytes(StandardCharsets.UTF_8));

    assertThat(status(header + "." + payload + ".")).isEqualTo(401);
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
    // Same key id as Vigil's, so only the signature can tell them apart.
    RSAKey other = new RSAKeyGenerator(2048).keyID(vigilKey.getKeyID()).generate();

    assertThat(status(signed(other, claims().build()))).isEqualTo(401);
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    Instant past = Instant.now().minusSeconds(3600);
    JWTClaimsSet expired =
        claims()
            .issueTime(Date.from(past))
            .notBeforeTime(Date.from(past))
            .expirationTime(Date.from(past.plusSeconds(300)))
            .build();

    assertThat(status(signed(vigilKey, expired))).isEqualTo(401);
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() throws Exception {
    JWTClaimsSet elsewhere = claims().audience(List.of("billing-service")).build();

    assertThat(status(signed(vigilKey, elsewhere))).isEqualTo(401);
    assertThat(status(signed(vigilKey, claims().audience(List.of()).build()))).isEqualTo(401);
  }

  @Test
  void aTokenWhoseScopeWasEditedIsRefused() {
    String[] parts = realToken.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains("system/Patient.rs");
    String widened = payload.replace("system/Patient.rs", "system/*.cruds");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(widened.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    assertThat(status(tampered)).isEqualTo(401);
  }
}
