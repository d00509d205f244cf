package org.vigil.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;
import org.vigil.audit.ChangeAudit;

/**
 * OAuth clients — other systems that call Vigil's APIs with the client-credentials grant. Secrets
 * are generated here, shown once and stored hashed (bcrypt); a revoked client can no longer get
 * tokens.
 */
@Service
public class ClientRegistry implements RegisteredClientRepository {

  static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(15);

  private final JdbcTemplate jdbc;
  private final PasswordEncoder passwords;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock = Clock.systemUTC();

  private final ChangeAudit audit;

  private final org.springframework.core.env.Environment environment;

  ClientRegistry(
      JdbcTemplate jdbc,
      PasswordEncoder passwords,
      ChangeAudit audit,
      org.springframework.core.env.Environment environment) {
    this.jdbc = jdbc;
    this.passwords = passwords;
    this.audit = audit;
    this.environment = environment;
  }

  /**
   * Vigil's own web app: a public client (it runs in the browser and keeps no secret) that signs
   * people in with the authorization code grant and PKCE, and returns to {@code /app/callback} on
   * this node. What it may see is decided by who signs in, not by the client. It gets refresh
   * tokens, each good for one refresh ({@link PublicClientRefresh}).
   */
  public static final String WEB_CLIENT = "vigil-web";

  /**
   * Scopes the web app asks for on behalf of whoever signs in. {@code patient/AuditEvent.rs} is a
   * patient's accounting of disclosures: who looked at their own record. {@code user/Observation.c}
   * lets nurses and clinicians enter the readings they take ({@code user/MedicationRequest.cu} the
   * medicines they prescribe for home), {@code user/Subscription.cruds} keep FHIR Subscriptions of
   * their own (delivering only their patients' data). {@code user/Patient.cu} lets administrators
   * register patients; the web app itself does not ask for it (it has no page for that), a FHIR
   * client signing an administrator in through this client may.
   */
  public static final Set<String> WEB_SCOPES =
      Set.of(
          "openid",
          "user/*.rs",
          "user/Observation.c",
          "user/MedicationRequest.cu",
          // administration: kept in the token only for the roles it is for (administrators,
          // integration engineers), see SecurityConfiguration
          "user/Device.cu",
          "user/AuditEvent.rs",
          "user/Patient.cu",
          "user/Subscription.cruds",
          // video visits: booking, inviting, rescheduling, offering slots (telemedicine)
          "user/Appointment.cu",
          "user/Schedule.c",
          "user/Slot.c",
          "patient/*.rs",
          "patient/AuditEvent.rs",
          "patient/Appointment.cu");

  /**
   * How long a refresh token of the web app lasts unused (default a shift, {@code PT8H}). Each is
   * good for one refresh, which gives a new one of the same lifetime.
   */
  static final String REFRESH_TOKEN_LIFETIME = "vigil.security.refresh-token-lifetime";

  private RegisteredClient webClient() {
    String port =
        environment.getProperty(
            "local.server.port", environment.getProperty("server.port", "8080"));
    Duration refreshLifetime;
    try {
      refreshLifetime = Duration.parse(environment.getProperty(REFRESH_TOKEN_LIFETIME, "PT8H"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalStateException(
          REFRESH_TOKEN_LIFETIME + " must be an ISO-8601 duration such as PT8H", e);
    }
    return RegisteredClient.withId(WEB_CLIENT)
        .clientId(WEB_CLIENT)
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .redirectUri("http://localhost:" + port + "/app/callback")
        .redirectUri("http://127.0.0.1:" + port + "/app/callback")
        .scopes(s -> s.addAll(WEB_SCOPES))
        .clientSettings(
            org.springframework.security.oauth2.server.authorization.settings.ClientSettings
                .builder()
                .requireProofKey(true)
                .requireAuthorizationConsent(false)
                .build())
        .tokenSettings(
            TokenSettings.builder()
                .accessTokenTimeToLive(ACCESS_TOKEN_LIFETIME)
                .refreshTokenTimeToLive(refreshLifetime)
                // rotated: a refresh token is good for one use (a public client cannot bind it)
                .reuseRefreshTokens(false)
                .build())
        .build();
  }

  /** Registers a client and returns its secret, which cannot be shown again. */
  public String register(String clientId, Set<String> scopes, String description) {
    if (WEB_CLIENT.equals(clientId)) {
      throw new IllegalArgumentException(WEB_CLIENT + " is Vigil's own web app");
    }
    String secret = newSecret();
    jdbc.update(
        "insert into oauth_client (client_id, secret_hash, scopes, description, created_at)"
            + " values (?, ?, ?, ?, ?)",
        clientId,
        passwords.encode(secret),
        String.join(" ", scopes),
        description,
        OffsetDateTime.now(clock));
    audit.changed(
        "account",
        "C",
        "add client " + clientId + " with scopes " + String.join(" ", scopes),
        java.util.Set.of());
    return secret;
  }

  /** Sets a client's secret and scopes to ones the caller already holds (saved credentials). */
  public void restore(String clientId, String secret, Set<String> scopes, String description) {
    int updated =
        jdbc.update(
            "update oauth_client set secret_hash = ?, scopes = ?, description = ?,"
                + " revoked_at = null where client_id = ?",
            passwords.encode(secret),
            String.join(" ", scopes),
            description,
            clientId);
    if (updated == 0) {
      jdbc.update(
          "insert into oauth_client (secret_hash, scopes, description, client_id, created_at)"
              + " values (?, ?, ?, ?, ?)",
          passwords.encode(secret),
          String.join(" ", scopes),
          description,
          clientId,
          OffsetDateTime.now(clock));
    }
  }

  /** A client as administrators see it: never its secret. */
  public record Client(
      String clientId,
      Set<String> scopes,
      String description,
      java.time.Instant createdAt,
      java.util.Optional<java.time.Instant> revokedAt) {}

  public List<Client> all() {
    return jdbc.query(
        "select client_id, scopes, description, created_at, revoked_at from oauth_client"
            + " order by client_id",
        (rs, row) ->
            new Client(
                rs.getString("client_id"),
                new LinkedHashSet<>(
                    Arrays.asList(
                        rs.getString("scopes").isBlank()
                            ? new String[0]
                            : rs.getString("scopes").split(" "))),
                rs.getString("description") == null ? "" : rs.getString("description"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                java.util.Optional.ofNullable(rs.getObject("revoked_at", OffsetDateTime.class))
                    .map(OffsetDateTime::toInstant)));
  }

  /** A revoked client gets no new tokens; tokens it holds run out within their lifetime. */
  public void revoke(String clientId) {
    int updated =
        jdbc.update(
            "update oauth_client set revoked_at = ? where client_id = ? and revoked_at is null",
            OffsetDateTime.now(clock),
            clientId);
    if (updated == 0) {
      throw new IllegalArgumentException("no active client " + clientId);
    }
    audit.changed("account", "U", "revoke client " + clientId, java.util.Set.of());
  }

  public boolean exists(String clientId) {
    Long count =
        jdbc.queryForObject(
            "select count(*) from oauth_client where client_id = ?", Long.class, clientId);
    return count != null && count > 0;
  }

  private String newSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "vgc_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Called by the authorization server, e.g. to upgrade a secret's hash; keeps scopes in step. */
  @Override
  public void save(RegisteredClient client) {
    jdbc.update(
        "update oauth_client set secret_hash = ?, scopes = ? where client_id = ?",
        client.getClientSecret(),
        String.join(" ", client.getScopes()),
        client.getClientId());
  }

  @Override
  public RegisteredClient findById(String id) {
    return findByClientId(id);
  }

  @Override
  public RegisteredClient findByClientId(String clientId) {
    if (WEB_CLIENT.equals(clientId)) {
      return webClient();
    }
    List<RegisteredClient> found =
        jdbc.query(
            "select client_id, secret_hash, scopes from oauth_client"
                + " where client_id = ? and revoked_at is null",
            (rs, row) ->
                registeredClient(
                    rs.getString("client_id"), rs.getString("secret_hash"), rs.getString("scopes")),
            clientId);
    return found.isEmpty() ? null : found.getFirst();
  }

  private static RegisteredClient registeredClient(
      String clientId, String secretHash, String scopes) {
    Set<String> scopeSet =
        new LinkedHashSet<>(Arrays.asList(scopes.isBlank() ? new String[0] : scopes.split(" ")));
    return RegisteredClient.withId(clientId)
        .clientId(clientId)
        .clientSecret(secretHash)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .scopes(s -> s.addAll(scopeSet))
        .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(ACCESS_TOKEN_LIFETIME).build())
        .build();
  }
}
