package org.vigil.security;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Lets a public client — Vigil's web app, which keeps no secret — present a refresh token. The
 * authorization server knows public clients only by the PKCE proof of the authorization code
 * exchange, which a refresh request does not carry; here a refresh request naming a public client
 * that may refresh stands for its client authentication. What protects such a refresh token is that
 * it is good for one use only ({@code reuseRefreshTokens(false)} on the client), that a reused one
 * revokes the whole sign-in ({@link InteractiveAuthorizationService}), and that it stops working
 * when its user is disabled ({@link SecurityConfiguration}).
 */
final class PublicClientRefresh {

  private PublicClientRefresh() {}

  /** A token request with {@code grant_type=refresh_token}, a client id and no client secret. */
  static final class Converter implements AuthenticationConverter {
    @Override
    public Authentication convert(HttpServletRequest request) {
      if (!"POST".equals(request.getMethod())
          || !AuthorizationGrantType.REFRESH_TOKEN
              .getValue()
              .equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
          || request.getHeader(HttpHeaders.AUTHORIZATION) != null
          || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
          || request.getParameter("client_assertion") != null) {
        return null;
      }
      String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
      if (clientIds == null || clientIds.length == 0 || clientIds[0].isBlank()) {
        return null;
      }
      if (clientIds.length > 1) {
        throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
      }
      Map<String, Object> parameters = new HashMap<>();
      request
          .getParameterMap()
          .forEach((name, values) -> {
            if (!OAuth2ParameterNames.CLIENT_ID.equals(name)) {
              parameters.put(name, values.length == 1 ? values[0] : values);
            }
          });
      return new OAuth2ClientAuthenticationToken(
          clientIds[0], ClientAuthenticationMethod.NONE, null, parameters);
    }
  }

  /**
   * Authenticates such a request when the client is public and may use the refresh token grant;
   * leaves every other client authentication to the authorization server's own providers.
   */
  static final class Provider implements AuthenticationProvider {

    private final RegisteredClientRepository clients;

    Provider(RegisteredClientRepository clients) {
      this.clients = clients;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
      OAuth2ClientAuthenticationToken client = (OAuth2ClientAuthenticationToken) authentication;
      if (!ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())
          || !AuthorizationGrantType.REFRESH_TOKEN
              .getValue()
              .equals(client.getAdditionalParameters().get(OAuth2ParameterNames.GRANT_TYPE))) {
        return null;
      }
      RegisteredClient registered = clients.findByClientId(String.valueOf(client.getPrincipal()));
      if (registered == null
          || !registered.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)
          || !registered
              .getAuthorizationGrantTypes()
              .contains(AuthorizationGrantType.REFRESH_TOKEN)) {
        throw new OAuth2AuthenticationException(
            new OAuth2Error(
                OAuth2ErrorCodes.INVALID_CLIENT,
                "client authentication failed: " + OAuth2ParameterNames.CLIENT_ID,
                null));
      }
      return new OAuth2ClientAuthenticationToken(registered, ClientAuthenticationMethod.NONE, null);
    }

    @Override
    public boolean supports(Class<?> authentication) {
      return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
    }
  }

  /**
   * Refresh tokens (256 random bits) for every client that may use the grant, public ones included;
   * the authorization server's own generator issues none to public clients.
   */
  static final class Tokens implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    private final StringKeyGenerator random =
        new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 32);
    private final Clock clock = Clock.systemUTC();

    @Override
    public OAuth2RefreshToken generate(OAuth2TokenContext context) {
      if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())
          || !context
              .getRegisteredClient()
              .getAuthorizationGrantTypes()
              .contains(AuthorizationGrantType.REFRESH_TOKEN)) {
        return null;
      }
      Instant issued = clock.instant();
      return new OAuth2RefreshToken(
          random.generateKey(),
          issued,
          issued.plus(
              context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive()));
    }
  }
}
