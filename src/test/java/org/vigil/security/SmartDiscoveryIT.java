package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * A SMART app finds Vigil's endpoints at the FHIR base without a token, and what it finds works:
 * the authorization code flow with PKCE through the advertised endpoints gives a person a token the
 * FHIR API accepts.
 */
class SmartDiscoveryIT extends VigilServerTest {

  @org.springframework.beans.factory.annotation.Autowired UserAccounts users;

  @Test
  void theDiscoveryDocumentIsOpenAndPointsAtWorkingEndpoints() {
    HttpResponse<String> atFhirBase = api().get("/fhir/.well-known/smart-configuration", null);
    assertThat(atFhirBase.statusCode()).as(atFhirBase.body()).isEqualTo(200);
    JsonNode smart = VigilApi.json(atFhirBase.body());
    assertThat(smart.path("token_endpoint").asString()).endsWith("/oauth2/token");
    assertThat(smart.path("authorization_endpoint").asString()).endsWith("/oauth2/authorize");
    assertThat(smart.path("code_challenge_methods_supported").toString()).contains("S256");
    assertThat(smart.path("grant_types_supported").toString())
        .contains("authorization_code", "client_credentials", "refresh_token");
    assertThat(smart.path("capabilities").toString())
        .contains("permission-v2", "client-confidential-symmetric", "launch-standalone");
    assertThat(api().get("/.well-known/smart-configuration", null).body())
        .isEqualTo(atFhirBase.body());

    // The JWKS it names verifies the tokens the token endpoint issues.
    assertThat(api().get("/oauth2/jwks", null).body()).contains("\"kty\":\"RSA\"");
  }

  @Test
  void aPersonSignsInThroughTheAdvertisedFlowAndCallsTheFhirApi() {
    users.save(
        new UserAccount("discovery-nurse", Role.NURSE, "Nurse", java.util.Optional.empty(), true),
        "discovery-nurse-password");
    String token =
        new WebSignIn(api().base())
            .accessToken("discovery-nurse", "discovery-nurse-password", "openid user/*.rs");

    assertThat(api().get("/fhir/metadata", token).statusCode()).isEqualTo(200);
    assertThat(api().get("/fhir/Patient", token).statusCode())
        .as("a nurse on no ward sees no patients")
        .isEqualTo(403);
  }
}
