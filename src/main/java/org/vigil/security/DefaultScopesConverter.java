package org.vigil.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A client-credentials token request without a {@code scope} parameter gets all the client's
 * registered scopes (RFC 6749 §3.3 lets the server choose a default). Without this, such a request
 * would get a token that can do nothing, which surprises every integrator once.
 */
final class DefaultScopesConverter implements AuthenticationConverter {

  private final OAuth2ClientCredentialsAuthenticationConverter delegate =
      new OAuth2ClientCredentialsAuthenticationConverter();

  @Override
  public Authentication convert(HttpServletRequest request) {
    Authentication converted = delegate.convert(request);
    if (converted instanceof OAuth2ClientCredentialsAuthenticationToken token
        && token.getScopes().isEmpty()
        && token.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
        && client.getRegisteredClient() != null) {
      return new OAuth2ClientCredentialsAuthenticationToken(
          client,
          client.getRegisteredClient().getScopes(),
          Map.copyOf(token.getAdditionalParameters()));
    }
    return converted;
  }
}
