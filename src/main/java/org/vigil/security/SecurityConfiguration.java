package org.vigil.security;

import static org.springframework.security.config.Customizer.withDefaults;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.vigil.node.NodeProperties;

/**
 * Four filter chains, most specific first:
 *
 * <ol>
 *   <li>the embedded OAuth2 / OpenID Connect authorization server's own endpoints;
 *   <li>device ingest, authenticated by each device's own bearer token;
 *   <li>the FHIR and REST APIs and the actuator, authenticated by access tokens (JWT) from the
 *       authorization server — everything but health needs one;
 *   <li>the rest (sign-in page, later the web app), with a session from form login.
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

  /** Vigil's own authorization server; off when an external issuer is configured. */
  @Bean
  @Order(1)
  @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
      "'${vigil.security.oidc.issuer:}'.isBlank()")
  SecurityFilterChain authorizationServer(HttpSecurity http, ClientRegistry clients)
      throws Exception {
    var server = new OAuth2AuthorizationServerConfigurer();
    http.securityMatcher(server.getEndpointsMatcher())
        .with(
            server,
            as ->
                as.oidc(withDefaults())
                    // the web app (a public client) presents its refresh tokens without a secret
                    .clientAuthentication(client ->
                        client
                            .authenticationConverter(new PublicClientRefresh.Converter())
                            .authenticationProviders(providers ->
                                providers.addFirst(new PublicClientRefresh.Provider(clients))))
                    .tokenEndpoint(token ->
                        token.accessTokenRequestConverters(converters -> {
                          converters.removeIf(
                              c -> c instanceof OAuth2ClientCredentialsAuthenticationConverter);
                          converters.addFirst(new DefaultScopesConverter());
                        })))
        .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
        .exceptionHandling(exceptions ->
            exceptions.defaultAuthenticationEntryPointFor(
                new LoginUrlAuthenticationEntryPoint("/login"),
                new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain deviceIngest(
      HttpSecurity http, DeviceTokenAuthentication devices, SecurityErrors errors)
      throws Exception {
    http.securityMatcher(DeviceTokenAuthentication.INGEST_PATHS)
        .authorizeHttpRequests(
            authorize -> authorize.anyRequest().hasAuthority(Role.DEVICE.authority()))
        .oauth2ResourceServer(resource ->
            resource.authenticationManagerResolver(devices).authenticationEntryPoint(errors))
        .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(errors))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain apis(
      HttpSecurity http,
      SecurityErrors errors,
      org.vigil.api.OperationOutcomes outcomes,
      @org.springframework.beans.factory.annotation.Value(
              "${vigil.security.max-requests-per-second:100}")
          double perSecond,
      @org.springframework.beans.factory.annotation.Value("${vigil.security.request-burst:200}")
          double burst)
      throws Exception {
    http.addFilterAfter(
        new CallerRateLimit(new org.vigil.api.RateLimiter(perSecond, burst), outcomes),
        org.springframework.security.oauth2.server.resource.web.authentication
            .BearerTokenAuthenticationFilter.class);
    http.securityMatcher("/fhir/**", "/api/**", "/actuator/**")
        .authorizeHttpRequests(authorize ->
            authorize
                .requestMatchers(
                    "/actuator/health",
                    "/actuator/health/**",
                    SmartConfigurationController.FHIR_PATH)
                .permitAll()
                // the visit signalling socket: a browser's handshake carries no Authorization
                // header, so its first frame authenticates (telemedicine.VisitSocket)
                .requestMatchers("/api/v1/visits/signal")
                .permitAll()
                // device administration: the same SMART scopes as the FHIR Device resource; alarm
                // webhooks' dead letters are integration administration like ingest's
                .requestMatchers(
                    HttpMethod.GET,
                    "/api/v1/devices/**",
                    "/api/v1/dead-letters/**",
                    "/api/v1/alarm-webhooks/**",
                    "/api/v1/templates/**")
                .access(ScopeAuthorization.require("Device", 'r'))
                .requestMatchers(HttpMethod.POST, "/api/v1/devices")
                .access(ScopeAuthorization.require("Device", 'c'))
                .requestMatchers(
                    "/api/v1/devices/**",
                    "/api/v1/dead-letters/**",
                    "/api/v1/alarm-webhooks/**",
                    "/api/v1/templates/**")
                .access(ScopeAuthorization.require("Device", 'u'))
                .anyRequest()
                .authenticated())
        .oauth2ResourceServer(
            resource -> resource.jwt(withDefaults()).authenticationEntryPoint(errors))
        .exceptionHandling(
            exceptions -> exceptions.authenticationEntryPoint(errors).accessDeniedHandler(errors))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Bearer tokens, not cookies: nothing for a cross-site request to ride on.
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  @Bean
  @Order(4)
  SecurityFilterChain signIn(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(authorize ->
            authorize
                .requestMatchers("/error", SmartConfigurationController.PATH)
                .permitAll()
                // The web app's code and styles hold no patient data; everything it shows comes
                // from the API with the signed-in person's token.
                .requestMatchers(
                    "/", "/index.html", "/app/**", "/webjars/**", "/favicon.svg", "/favicon.ico")
                .permitAll()
                .anyRequest()
                .authenticated())
        .formLogin(withDefaults())
        // What a page from Vigil may load and who may frame it: only Vigil itself, no one.
        .headers(headers ->
            headers.contentSecurityPolicy(csp ->
                csp.policyDirectives(
                    "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'")));
    return http.build();
  }

  /** Idle sessions end before Spring Security looks at them (see {@link IdleSignOut}). */
  @Bean
  org.springframework.boot.web.servlet.FilterRegistrationBean<IdleSignOut> idleSignOut(
      @org.springframework.beans.factory.annotation.Value("${vigil.security.session-timeout:PT15M}")
          java.time.Duration timeout,
      org.vigil.audit.AuditTrail audit,
      org.vigil.audit.AuditAgents agents) {
    var registration =
        new org.springframework.boot.web.servlet.FilterRegistrationBean<>(
            new IdleSignOut(timeout, audit, agents));
    registration.setOrder(
        org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties
                .DEFAULT_FILTER_ORDER
            - 1);
    return registration;
  }

  /**
   * The authorization server's tokens: JWT access and ID tokens with Vigil's claims, and refresh
   * tokens also for the web app, which as a public client would otherwise get none.
   */
  @Bean
  OAuth2TokenGenerator<?> tokenGenerator(
      JWKSource<SecurityContext> keys, OAuth2TokenCustomizer<JwtEncodingContext> claims) {
    JwtGenerator jwt = new JwtGenerator(new NimbusJwtEncoder(keys));
    jwt.setJwtCustomizer(claims);
    return new DelegatingOAuth2TokenGenerator(
        jwt, new OAuth2AccessTokenGenerator(), new PublicClientRefresh.Tokens());
  }

  @Bean
  JWKSource<SecurityContext> jwkSource(NodeProperties node) {
    RSAKey key = JwtSigningKey.loadOrCreate(node.dataDir().resolve("keys/jwt-signing-key.json"));
    return new ImmutableJWKSet<>(new JWKSet(key));
  }

  /**
   * Access tokens say whom they are for and which client holds them: {@code aud} is Vigil's API (so
   * a token minted for another service with the same key is refused) and {@code client_id} the
   * client (so the audit trail tells a system from a user acting through an app).
   */
  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> accessTokenClaims(UserAccounts users) {
    return context -> {
      if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
        return;
      }
      context
          .getClaims()
          .audience(List.of(API_AUDIENCE))
          .claim("client_id", context.getRegisteredClient().getClientId());
      // only people get refresh tokens, so a refresh is always a person's
      if (AuthorizationGrantType.AUTHORIZATION_CODE.equals(context.getAuthorizationGrantType())
          || AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())) {
        personClaims(context, users);
      }
    };
  }

  /**
   * The administrative scopes the web app asks for on everyone's behalf are kept only for whom they
   * are meant: the audit trail and patient registration for administrators, device administration
   * for administrators and integration engineers.
   */
  private static boolean fitsRole(Role role, String scope) {
    if (scope.startsWith("user/AuditEvent.")) {
      return role == Role.ADMIN;
    }
    if (scope.startsWith("user/Device.")) {
      return role == Role.ADMIN || role == Role.INTEGRATION;
    }
    if (scope.startsWith("user/Patient.")
        && SmartScope.parse(scope).map(s -> !s.permissions().matches("[rs]*")).orElse(true)) {
      // registering patients is administration; staff read patients, they do not write them
      return role == Role.ADMIN;
    }
    return true;
  }

  /**
   * A person's token names their role and, for a patient, their own record; and it keeps only the
   * scopes of their kind — {@code patient/…} for patients, {@code user/…} for staff — and of their
   * role (see {@link #fitsRole}), whatever the app asked for. Read afresh for every token, so a
   * refreshed token carries the role the person has now, and a person disabled (or removed) since
   * they signed in gets no token at all.
   */
  private static void personClaims(JwtEncodingContext context, UserAccounts users) {
    UserAccount user =
        users
            .find(context.getPrincipal().getName())
            .filter(UserAccount::enabled)
            .orElseThrow(() ->
                new OAuth2AuthenticationException(
                    new OAuth2Error(
                        OAuth2ErrorCodes.INVALID_GRANT,
                        "the user this grant was made for is disabled or no longer exists",
                        null)));
    String kind = user.role() == Role.PATIENT ? "patient/" : "user/";
    List<String> scopes =
        context.getAuthorizedScopes().stream()
            .filter(scope ->
                scope.equals("openid") || (scope.startsWith(kind) && fitsRole(user.role(), scope)))
            .sorted()
            .toList();
    context.getClaims().claim(PatientAccess.ROLE_CLAIM, user.role().label()).claim("scope", scopes);
    user.patientId()
        .ifPresent(patient -> context.getClaims().claim(PatientAccess.PATIENT_CLAIM, patient));
  }

  /** The audience of every access token Vigil issues and accepts. */
  static final String API_AUDIENCE = "vigil";

  /**
   * Checks an access token's signature (only Vigil's key; {@code alg: none} and other keys are
   * refused by the JWK source), its validity period, and that it was issued for Vigil's API.
   */
  @Bean
  JwtDecoder jwtDecoder(JWKSource<SecurityContext> keys, OidcProperties oidc) {
    if (oidc.external()) {
      return externalDecoder(oidc);
    }
    NimbusJwtDecoder decoder =
        (NimbusJwtDecoder) OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
    OAuth2TokenValidator<Jwt> audience =
        new JwtClaimValidator<List<String>>(
            JwtClaimNames.AUD, aud -> aud != null && aud.contains(API_AUDIENCE));
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefault(), audience));
    return decoder;
  }

  /**
   * With an external issuer, only its tokens count: signed by a key from its JWKS (found through
   * its discovery document, when the first token arrives), issued by it, valid now, for the
   * configured audience if one is set; its claims are read in Vigil's terms ({@link
   * ExternalClaims}). Tokens Vigil's own key signed are refused.
   */
  private static JwtDecoder externalDecoder(OidcProperties oidc) {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(oidc.issuer()).build();
    List<OAuth2TokenValidator<Jwt>> validators = new java.util.ArrayList<>();
    validators.add(JwtValidators.createDefaultWithIssuer(oidc.issuer()));
    if (!oidc.audience().isBlank()) {
      validators.add(
          new JwtClaimValidator<List<String>>(
              JwtClaimNames.AUD, aud -> aud != null && aud.contains(oidc.audience())));
    }
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
    decoder.setClaimSetConverter(new ExternalClaims(oidc));
    return decoder;
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings() {
    return AuthorizationServerSettings.builder().build();
  }

  @Bean
  OAuth2AuthorizationService authorizationService(
      org.vigil.audit.AuditTrail audit, org.vigil.audit.AuditAgents agents) {
    return new InteractiveAuthorizationService(audit, agents);
  }
}
