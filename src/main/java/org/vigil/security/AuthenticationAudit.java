package org.vigil.security;

import java.util.Optional;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.stereotype.Component;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;

/**
 * Puts sign-ins in the audit trail: every user login and every client authenticating at the token
 * endpoint, successful or not, and every access token refused. Successful uses of a valid access
 * token are not logins; the request they make is audited itself.
 */
@Component
class AuthenticationAudit {

  private final AuditTrail trail;
  private final AuditAgents agents;

  AuthenticationAudit(AuditTrail trail, AuditAgents agents) {
    this.trail = trail;
    this.agents = agents;
  }

  @EventListener
  void succeeded(AuthenticationSuccessEvent event) {
    who(event.getAuthentication())
        .ifPresent(agent -> record(agent, AuditEntry.SUCCESS, Optional.empty()));
  }

  @EventListener
  void failed(AbstractAuthenticationFailureEvent event) {
    Authentication attempt = event.getAuthentication();
    Optional<AuditAgent> agent =
        attempt instanceof BearerTokenAuthenticationToken
            ? Optional.of(agents.signingIn("anonymous", "bearer token"))
            : who(attempt);
    agent.ifPresent(
        a -> record(a, AuditEntry.MINOR_FAILURE, Optional.of(event.getException().getMessage())));
  }

  private Optional<AuditAgent> who(Authentication authentication) {
    if (authentication instanceof UsernamePasswordAuthenticationToken) {
      return Optional.of(agents.signingIn("user", authentication.getName()));
    }
    if (authentication instanceof OAuth2ClientAuthenticationToken client) {
      return Optional.of(agents.signingIn("client", String.valueOf(client.getPrincipal())));
    }
    return Optional.empty();
  }

  private void record(AuditAgent agent, int outcome, Optional<String> detail) {
    trail.record(
        new AuditEntry(
            "login",
            "E",
            outcome,
            agent,
            Set.of(),
            agent.type().equals("client") ? "client authentication" : "login",
            detail));
  }
}
