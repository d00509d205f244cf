package org.vigil.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.vigil.api.OperationOutcomes;
import org.vigil.api.RateLimiter;

/**
 * Each user's and each client's allowance of API requests (devices have their own, per message):
 * {@code vigil.security.max-requests-per-second} sustained, {@code vigil.security.request-burst} at
 * once. Over it the caller gets 429 with {@code Retry-After}; other callers are not affected.
 */
final class CallerRateLimit extends OncePerRequestFilter {

  private final RateLimiter limiter;
  private final OperationOutcomes outcomes;

  CallerRateLimit(RateLimiter limiter, OperationOutcomes outcomes) {
    this.limiter = limiter;
    this.outcomes = outcomes;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    if (caller instanceof JwtAuthenticationToken jwt) {
      String client = jwt.getToken().getClaimAsString("client_id");
      RateLimiter.Decision decision = limiter.tryAcquire(jwt.getName() + "|" + client);
      if (!decision.allowed()) {
        long seconds = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        outcomes.write(
            response,
            HttpStatus.TOO_MANY_REQUESTS,
            IssueType.THROTTLED,
            "too many requests from this caller; try again in " + seconds + " s");
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
