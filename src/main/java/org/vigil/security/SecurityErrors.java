package org.vigil.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.vigil.api.OperationOutcomes;

/**
 * Answers unauthenticated (401) and forbidden (403) requests with an OperationOutcome, and tells
 * OAuth clients what went wrong in the {@code WWW-Authenticate} header (RFC 6750). The message says
 * which credential was wrong in general terms only: never whether a device or client exists.
 */
@Component
class SecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final OperationOutcomes outcomes;

  SecurityErrors(OperationOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    boolean tokenSent = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE,
        tokenSent
            ? "Bearer error=\"invalid_token\", error_description=\"the token is not valid here\""
            : "Bearer");
    outcomes.write(
        response,
        HttpStatus.UNAUTHORIZED,
        IssueType.LOGIN,
        tokenSent
            ? "the bearer token is unknown, expired, revoked or not for this endpoint"
            : "a bearer token is required (Authorization: Bearer …)");
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
    outcomes.write(
        response,
        HttpStatus.FORBIDDEN,
        IssueType.FORBIDDEN,
        "the token does not grant access to this resource");
  }
}
