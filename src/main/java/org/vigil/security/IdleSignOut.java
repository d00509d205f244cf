package org.vigil.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;

/**
 * Signs a person out once their session has been idle for {@code vigil.security.session-timeout}:
 * the next request finds the session gone and is sent to the sign-in page. It runs before Spring
 * Security, so the stale session's sign-in is never used; the sign-out is audited. (The servlet
 * container also drops idle sessions, but only on its own schedule, about once a minute.)
 */
final class IdleSignOut extends OncePerRequestFilter {

  private static final String LAST_SEEN = IdleSignOut.class.getName() + ".lastSeen";

  private final Duration timeout;
  private final AuditTrail audit;
  private final AuditAgents agents;
  private final Clock clock = Clock.systemUTC();

  IdleSignOut(Duration timeout, AuditTrail audit, AuditAgents agents) {
    this.timeout = timeout;
    this.audit = audit;
    this.agents = agents;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    HttpSession session = request.getSession(false);
    if (session != null) {
      long now = clock.millis();
      Object lastSeen = session.getAttribute(LAST_SEEN);
      if (lastSeen instanceof Long last && now - last > timeout.toMillis()) {
        Optional<String> who = signedIn(session);
        session.invalidate();
        who.ifPresent(name ->
            audit.record(
                new AuditEntry(
                    "login",
                    "E",
                    AuditEntry.SUCCESS,
                    agents.signingIn("user", name),
                    Set.of(),
                    "sign-out after " + timeout + " idle",
                    Optional.empty())));
      } else {
        session.setAttribute(LAST_SEEN, now);
      }
    }
    chain.doFilter(request, response);
  }

  private static Optional<String> signedIn(HttpSession session) {
    Object context =
        session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
    return context instanceof SecurityContext security && security.getAuthentication() != null
        ? Optional.of(security.getAuthentication().getName())
        : Optional.empty();
  }
}
