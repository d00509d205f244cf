package org.vigil.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who is acting right now: the caller of the current request as its access token or session names
 * it, or — outside any request — the operating-system user at the command line.
 */
@Component
public class AuditAgents {

  /** Granted to devices authenticated by their own token. */
  private static final String DEVICE_AUTHORITY = "ROLE_DEVICE";

  public AuditAgent current() {
    Optional<String> address = currentRequest().map(HttpServletRequest::getRemoteAddr);
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    if (caller == null
        || caller instanceof AnonymousAuthenticationToken
        || !caller.isAuthenticated()) {
      return address.isPresent()
          ? new AuditAgent("anonymous", "anonymous", Optional.empty(), address)
          : AuditAgent.local();
    }
    if (caller instanceof JwtAuthenticationToken jwt) {
      String subject = String.valueOf(jwt.getToken().getSubject());
      Optional<String> client = Optional.ofNullable(jwt.getToken().getClaimAsString("client_id"));
      // A client_credentials token is issued to the client itself: its subject is the client id.
      boolean isClient = client.map(subject::equals).orElse(false);
      return new AuditAgent(
          isClient ? "client" : "user", subject, isClient ? Optional.empty() : client, address);
    }
    boolean device =
        caller.getAuthorities().stream().anyMatch(a -> DEVICE_AUTHORITY.equals(a.getAuthority()));
    return new AuditAgent(device ? "device" : "user", caller.getName(), Optional.empty(), address);
  }

  /** Someone who is proving who they are right now (a sign-in, a client authenticating). */
  public AuditAgent signingIn(String type, String id) {
    return new AuditAgent(
        type, id, Optional.empty(), currentRequest().map(HttpServletRequest::getRemoteAddr));
  }

  private static Optional<HttpServletRequest> currentRequest() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet
        ? Optional.of(servlet.getRequest())
        : Optional.empty();
  }
}
