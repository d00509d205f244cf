package org.vigil.testsupport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Vigil as its users see it, over the wire: JDK HTTP client for the REST API and the token
 * endpoint, HAPI's generic FHIR client for the FHIR API.
 */
public final class VigilApi {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * How often a request the caller's rate limit refused (429) is asked again. The test nodes allow
   * 50 requests a second per caller, which a test asking many questions in a row can spend; a
   * well-behaved client waits as Retry-After says and asks again, and so do the tests — all but the
   * one that floods on purpose ({@link #withoutRetries()}).
   */
  private static final int THROTTLED_RETRIES = 20;

  private final URI base;
  private final boolean retryThrottled;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public VigilApi(URI base) {
    this(base, true);
  }

  private VigilApi(URI base, boolean retryThrottled) {
    this.base = base;
    this.retryThrottled = retryThrottled;
  }

  /** The same API, answering a 429 to the test as it came. */
  public VigilApi withoutRetries() {
    return new VigilApi(base, false);
  }

  public static VigilApi onPort(int port) {
    return new VigilApi(URI.create("http://127.0.0.1:" + port));
  }

  public URI base() {
    return base;
  }

  /** An access token by the client-credentials grant; scope omitted means the client's own. */
  public String token(String clientId, String secret, String scope) {
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    String form = "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + scope);
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(base.resolve("/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "token request failed: " + response.statusCode() + " " + response.body());
    }
    return json(response.body()).path("access_token").asString();
  }

  public HttpResponse<String> postJson(String path, String bearer, String body) {
    return post(path, bearer, "application/json", body);
  }

  public HttpResponse<String> post(String path, String bearer, String contentType, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  /** A POST with one more header (If-None-Exist, Prefer, …). */
  public HttpResponse<String> post(
      String path, String bearer, String contentType, String body, String header, String value) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", contentType)
            .header(header, value)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  public HttpResponse<String> put(String path, String bearer, String contentType, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  public HttpResponse<String> delete(String path, String bearer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).DELETE();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  public HttpResponse<String> get(String path, String bearer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  /** HAPI's generic client on {@code /fhir}, sending the token. */
  public IGenericClient fhir(String bearer) {
    FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    FHIR.getRestfulClientFactory().setHttpClient(ThrottledRetries.HAPI_HTTP_CLIENT);
    IGenericClient client = FHIR.newRestfulGenericClient(base.resolve("/fhir").toString());
    client.registerInterceptor(new BearerTokenAuthInterceptor(bearer));
    return client;
  }

  public static JsonNode json(String body) {
    return JSON.readTree(body);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      for (int retry = 0;
          retryThrottled && response.statusCode() == 429 && retry < THROTTLED_RETRIES;
          retry++) {
        Thread.sleep(ThrottledRetries.pauseMillis(response.headers().firstValue("Retry-After")));
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      }
      return response;
    } catch (IOException e) {
      throw new IllegalStateException("request to " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
