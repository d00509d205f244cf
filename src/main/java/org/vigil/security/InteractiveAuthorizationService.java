package org.vigil.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;

/**
 * Keeps the authorizations that need keeping — authorization codes and refresh tokens of people
 * signing in — and not those of the client-credentials grant. Those tokens are self-contained JWTs
 * that nothing looks up again, and a system asking for one every few minutes would otherwise grow
 * the store without bound.
 *
 * <p>Refresh tokens are rotated: each refresh replaces the token. A replaced token presented again
 * means two parties hold the sign-in — the person and whoever copied the token — and nothing tells
 * which is which, so the whole sign-in is revoked and the person signs in again (OAuth 2.0 Security
 * Best Current Practice, refresh token rotation). Replaced tokens are remembered until they would
 * have expired.
 */
final class InteractiveAuthorizationService implements OAuth2AuthorizationService {

  private final OAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();
  private final Map<String, Replaced> replaced = new ConcurrentHashMap<>();
  private final Clock clock = Clock.systemUTC();
  private final AuditTrail audit;
  private final AuditAgents agents;

  InteractiveAuthorizationService(AuditTrail audit, AuditAgents agents) {
    this.audit = audit;
    this.agents = agents;
  }

  /** A refresh token replaced by a newer one of the same sign-in. */
  private record Replaced(String authorizationId, Instant expiresAt) {}

  @Override
  public void save(OAuth2Authorization authorization) {
    if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(
        authorization.getAuthorizationGrantType())) {
      return;
    }
    OAuth2Authorization before = delegate.findById(authorization.getId());
    if (before != null
        && before.getRefreshToken() != null
        && (authorization.getRefreshToken() == null
            || !before
                .getRefreshToken()
                .getToken()
                .getTokenValue()
                .equals(authorization.getRefreshToken().getToken().getTokenValue()))) {
      OAuth2RefreshToken old = before.getRefreshToken().getToken();
      replaced.put(
          old.getTokenValue(),
          new Replaced(
              authorization.getId(),
              old.getExpiresAt() == null
                  ? clock.instant().plusSeconds(86_400)
                  : old.getExpiresAt()));
    }
    Instant now = clock.instant();
    replaced.values().removeIf(r -> r.expiresAt().isBefore(now));
    delegate.save(authorization);
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    delegate.remove(authorization);
  }

  @Override
  public OAuth2Authorization findById(String id) {
    return delegate.findById(id);
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    OAuth2Authorization found = delegate.findByToken(token, tokenType);
    if (found == null && (tokenType == null || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType))) {
      Replaced reused = replaced.remove(token);
      if (reused != null) {
        OAuth2Authorization signIn = delegate.findById(reused.authorizationId());
        if (signIn != null) {
          delegate.remove(signIn);
          audit.record(
              new AuditEntry(
                  "login",
                  "E",
                  AuditEntry.SERIOUS_FAILURE,
                  agents.signingIn("user", signIn.getPrincipalName()),
                  Set.of(),
                  "refresh token",
                  Optional.of(
                      "a replaced refresh token was presented again: the sign-in is revoked")));
        }
      }
    }
    return found;
  }
}
