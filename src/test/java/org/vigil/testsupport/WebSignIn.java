package org.vigil.testsupport;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Signs a person in the way the web app does — OAuth2 authorization code with PKCE through the
 * sign-in form — over real HTTP, and returns their access token. Each step checks it got what a
 * browser would.
 */
public final class WebSignIn {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private final URI base;
  private final HttpClient http;

  public WebSignIn(URI base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** The access token of the signed-in person; fails when any step does not go as it should. */
  public String accessToken(String username, String password, String scope) {
    return tokens(username, password, scope).path("access_token").asString();
  }

  /**
   * The whole token response of the sign-in ({@code access_token}, {@code refresh_token}, …); fails
   * when any step does not go as it should.
   */
  public tools.jackson.databind.JsonNode tokens(String username, String password, String scope) {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String verifier = URL.encodeToString(random);
    String redirect = "http://127.0.0.1:" + base.getPort() + "/app/callback";
    String state = URL.encodeToString(new byte[] {1, 2, 3, 4});
    Map<String, String> authorize = new LinkedHashMap<>();
    authorize.put("response_type", "code");
    authorize.put("client_id", "vigil-web");
    authorize.put("scope", scope);
    authorize.put("redirect_uri", redirect);
    authorize.put("state", state);
    authorize.put("code_challenge", challenge(verifier));
    authorize.put("code_challenge_method", "S256");

    HttpResponse<String> toLogin = get("/oauth2/authorize?" + form(authorize));
    expectRedirect(toLogin, "/login");
    HttpResponse<String> loginPage = get("/login");
    Matcher csrf = CSRF.matcher(loginPage.body());
    if (!csrf.find()) {
      throw new IllegalStateException("no CSRF token on the sign-in page: " + loginPage.body());
    }
    HttpResponse<String> signedIn =
        post(
            "/login",
            form(Map.of("username", username, "password", password, "_csrf", csrf.group(1))));
    String back = expectRedirect(signedIn, "/oauth2/authorize");
    HttpResponse<String> withCode = get(back);
    String callback = expectRedirect(withCode, "/app/callback");
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(callback);
    if (!code.find() || !callback.contains("state=" + state)) {
      throw new IllegalStateException("no code or the wrong state in " + callback);
    }
    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("code", java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8));
    exchange.put("redirect_uri", redirect);
    exchange.put("client_id", "vigil-web");
    exchange.put("code_verifier", verifier);
    HttpResponse<String> token = post("/oauth2/token", form(exchange));
    if (token.statusCode() != 200) {
      throw new IllegalStateException("token exchange: " + token.statusCode() + " " + token.body());
    }
    return VigilApi.json(token.body());
  }

  /** What the token endpoint answers the web app's refresh token grant, as the app sends it. */
  public HttpResponse<String> refresh(String refreshToken) {
    Map<String, String> grant = new LinkedHashMap<>();
    grant.put("grant_type", "refresh_token");
    grant.put("refresh_token", refreshToken);
    grant.put("client_id", "vigil-web");
    return post("/oauth2/token", form(grant));
  }

  /**
   * Whether this browser's sign-in still holds: asking to authorize the web app again goes straight
   * back with a code, rather than to the sign-in page.
   */
  public boolean stillSignedIn() {
    Map<String, String> authorize = new LinkedHashMap<>();
    authorize.put("response_type", "code");
    authorize.put("client_id", "vigil-web");
    authorize.put("scope", "openid");
    authorize.put("redirect_uri", "http://127.0.0.1:" + base.getPort() + "/app/callback");
    authorize.put("state", "again");
    authorize.put(
        "code_challenge", challenge("a-verifier-that-is-long-enough-for-pkce-0123456789"));
    authorize.put("code_challenge_method", "S256");
    HttpResponse<String> answer = get("/oauth2/authorize?" + form(authorize));
    String location = answer.headers().firstValue("Location").orElse("");
    if (answer.statusCode() != 302) {
      throw new IllegalStateException("authorize answered " + answer.statusCode());
    }
    return location.contains("/app/callback");
  }

  /** Whether the sign-in form accepts the password (without going on to get a token). */
  public boolean signsIn(String username, String password) {
    HttpResponse<String> loginPage = get("/login");
    Matcher csrf = CSRF.matcher(loginPage.body());
    if (!csrf.find()) {
      throw new IllegalStateException("no CSRF token on the sign-in page: " + loginPage.body());
    }
    HttpResponse<String> answer =
        post(
            "/login",
            form(Map.of("username", username, "password", password, "_csrf", csrf.group(1))));
    String location = answer.headers().firstValue("Location").orElse("");
    if (answer.statusCode() != 302) {
      throw new IllegalStateException("sign-in answered " + answer.statusCode());
    }
    return !location.contains("error");
  }

  private static String challenge(String verifier) {
    try {
      return URL.encodeToString(
          MessageDigest.getInstance("SHA-256")
              .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String expectRedirect(HttpResponse<String> response, String pathPart) {
    String location = response.headers().firstValue("Location").orElse("");
    if (response.statusCode() != 302 || !location.contains(pathPart)) {
      throw new IllegalStateException(
          "expected a redirect to "
              + pathPart
              + ", got "
              + response.statusCode()
              + " "
              + location
              + " "
              + response.body());
    }
    return location;
  }

  private HttpResponse<String> get(String pathOrUrl) {
    return send(
        HttpRequest.newBuilder(base.resolve(pathOrUrl))
            .header("Accept", "text/html")
            .timeout(Duration.ofSeconds(20))
            .GET()
            .build());
  }

  private HttpResponse<String> post(String path, String form) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "text/html")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
