package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;
import tools.jackson.databind.JsonNode;

/**
 * The web app's refresh tokens, over real HTTP through the sign-in form: a refresh gives a new
 * access token with the person's claims and a new refresh token; a refresh token is good once, and
 * presenting a used one ends the sign-in; a disabled person's refresh token is refused.
 */
class RefreshTokenIT extends VigilServerTest {

  private static final String SCOPE = "openid user/*.rs";

  @Autowired UserAccounts users;
  @Autowired ClientRegistry clients;
  @Autowired PatientRepository patients;
  @Autowired AuditTrail audit;

  private JsonNode signIn(String username) {
    users.save(new UserAccount(username, Role.NURSE, "Nurse", Optional.empty(), true), "pw-r");
    users.setWards(username, Set.of("RT-1"));
    patients.save(
        new Patient(
            "rt-patient",
            "MRN-RT",
            "Okafor",
            "Grace",
            Optional.empty(),
            "female",
            Optional.of("RT-1"),
            Optional.of("Bed 1"),
            Instant.parse("2026-11-24T10:00:00Z")));
    JsonNode tokens = new WebSignIn(api().base()).tokens(username, "pw-r", SCOPE);
    assertThat(tokens.path("refresh_token").asString()).as(tokens.toString()).isNotBlank();
    return tokens;
  }

  private HttpResponse<String> refresh(String refreshToken) {
    return new WebSignIn(api().base()).refresh(refreshToken);
  }

  private static JsonNode claims(String jwt) {
    return VigilApi.json(
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  @Test
  void aRefreshGivesANewAccessTokenWithThePersonsClaimsAndANewRefreshToken() {
    JsonNode first = signIn("refresh-nurse");

    HttpResponse<String> answer = refresh(first.path("refresh_token").asString());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode second = VigilApi.json(answer.body());
    String access = second.path("access_token").asString();
    assertThat(access).isNotBlank().isNotEqualTo(first.path("access_token").asString());
    assertThat(second.path("refresh_token").asString())
        .as("rotated")
        .isNotBlank()
        .isNotEqualTo(first.path("refresh_token").asString());
    JsonNode claims = claims(access);
    assertThat(claims.path("sub").asString()).isEqualTo("refresh-nurse");
    assertThat(claims.path(PatientAccess.ROLE_CLAIM).asString()).isEqualTo("nurse");
    assertThat(claims.path("client_id").asString()).isEqualTo(ClientRegistry.WEB_CLIENT);
    assertThat(claims.path("scope").toString())
        .isEqualTo(claims(first.path("access_token").asString()).path("scope").toString())
        .contains("user/*.rs")
        .doesNotContain("patient/");
    assertThat(api().get("/fhir/Patient/rt-patient", access).statusCode())
        .as("the refreshed token works like the first")
        .isEqualTo(200);
  }

  @Test
  void aUsedRefreshTokenIsRefusedAndPresentingItEndsTheSignIn() {
    String used = signIn("reuse-nurse").path("refresh_token").asString();
    HttpResponse<String> firstUse = refresh(used);
    assertThat(firstUse.statusCode()).as(firstUse.body()).isEqualTo(200);
    String current = VigilApi.json(firstUse.body()).path("refresh_token").asString();

    HttpResponse<String> again = refresh(used);

    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(VigilApi.json(again.body()).path("error").asString()).isEqualTo("invalid_grant");
    HttpResponse<String> afterReuse = refresh(current);
    assertThat(afterReuse.statusCode())
        .as("the newer token of the same sign-in is revoked too: " + afterReuse.body())
        .isEqualTo(400);
    assertThat(audit.search(AuditQuery.all().byAgent("reuse-nurse").page(0, 100)))
        .anySatisfy(e -> {
          assertThat(e.entry().what()).isEqualTo("refresh token");
          assertThat(e.entry().outcome()).isEqualTo(AuditEntry.SERIOUS_FAILURE);
          assertThat(e.entry().detail().orElseThrow()).contains("sign-in is revoked");
        });
  }

  @Test
  void aDisabledPersonsRefreshTokenIsRefused() {
    String refreshToken = signIn("disabled-nurse").path("refresh_token").asString();
    users.setEnabled("disabled-nurse", false);

    HttpResponse<String> answer = refresh(refreshToken);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(VigilApi.json(answer.body()).path("error").asString()).isEqualTo("invalid_grant");
    assertThat(answer.body()).doesNotContain("access_token");
  }

  @Test
  void aRefreshTokenIsRefusedToAnotherClientAndAnUnknownToken() {
    String refreshToken = signIn("other-client-nurse").path("refresh_token").asString();
    String secret = clients.register("refresh-thief", Set.of("system/Patient.rs"), "test");

    HttpResponse<String> unknown = refresh("not-a-token-vigil-issued");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(VigilApi.json(unknown.body()).path("error").asString()).isEqualTo("invalid_grant");
    HttpResponse<String> stolen =
        api()
            .post(
                "/oauth2/token",
                null,
                "application/x-www-form-urlencoded",
                "grant_type=refresh_token&client_id=refresh-thief&refresh_token=" + refreshToken);
    assertThat(stolen.statusCode()).as("no secret: " + stolen.body()).isEqualTo(401);
    HttpResponse<String> withSecret =
        api()
            .post(
                "/oauth2/token",
                null,
                "application/x-www-form-urlencoded",
                "grant_type=refresh_token&client_id=refresh-thief&client_secret="
                    + secret
                    + "&refresh_token="
                    + refreshToken);
    assertThat(withSecret.statusCode()).as(withSecret.body()).isEqualTo(400);
    assertThat(withSecret.body()).doesNotContain("access_token");
    assertThat(refresh(refreshToken).statusCode())
        .as("still good for its own client")
        .isEqualTo(200);
  }
}
