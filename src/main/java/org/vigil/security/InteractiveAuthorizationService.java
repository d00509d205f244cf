package org.vigil.security;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps the authorizations that need keeping — authorization codes and refresh tokens of people
 * signing in — and not those of the client-credentials grant. Those tokens are self-contained JWTs
 * that nothing looks up again, and a system asking for one every few minutes would otherwise grow
 * the store without bound.
 */
final class InteractiveAuthorizationService implements OAuth2AuthorizationService {

  private final OAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();

  @Override
  public void save(OAuth2Authorization authorization) {
    if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(
        authorization.getAuthorizationGrantType())) {
      delegate.save(authorization);
    }
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
    return delegate.findByToken(token, tokenType);
  }
}
