package org.vigil.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * SMART App Launch discovery: where a SMART app finds Vigil's authorization and token endpoints and
 * what it supports. Served at the FHIR base ({@code /fhir/.well-known/smart-configuration}, as
 * SMART requires) and at the root. Open to anyone, like OpenID Connect discovery.
 */
@RestController
class SmartConfigurationController {

  /**
   * {@code /fhir/*} belongs to the FHIR servlet; the discovery document under it is answered here,
   * by forwarding before the FHIR servlet sees the request.
   */
  @org.springframework.context.annotation.Bean
  static org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter>
      smartConfigurationAtFhirBase() {
    var registration =
        new org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter>(
            (request, response, chain) ->
                request.getRequestDispatcher(PATH).forward(request, response));
    registration.addUrlPatterns(FHIR_PATH);
    registration.setName("smartConfigurationAtFhirBase");
    return registration;
  }

  static final String PATH = "/.well-known/smart-configuration";
  static final String FHIR_PATH = "/fhir" + PATH;

  @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> configuration() {
    String base = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    Map<String, Object> smart = new LinkedHashMap<>();
    smart.put("issuer", base);
    smart.put("jwks_uri", base + "/oauth2/jwks");
    smart.put("authorization_endpoint", base + "/oauth2/authorize");
    smart.put("token_endpoint", base + "/oauth2/token");
    // refresh tokens go to the web app, whatever scopes it asks for (SMART's online_access is
    // implied)
    smart.put(
        "grant_types_supported",
        List.of("authorization_code", "client_credentials", "refresh_token"));
    smart.put(
        "token_endpoint_auth_methods_supported",
        List.of("client_secret_basic", "client_secret_post", "none"));
    smart.put(
        "scopes_supported",
        List.of(
            "openid",
            "system/*.rs",
            "system/*.cruds",
            "system/AuditEvent.rs",
            "system/Subscription.cruds",
            "user/*.rs",
            "user/Observation.c",
            "user/MedicationRequest.cu",
            "user/Patient.cu",
            "user/Subscription.cruds",
            "user/Appointment.cu",
            "user/Schedule.c",
            "user/Slot.c",
            "patient/*.rs",
            "patient/AuditEvent.rs",
            "patient/Appointment.cu"));
    smart.put("response_types_supported", List.of("code"));
    smart.put("code_challenge_methods_supported", List.of("S256"));
    smart.put(
        "capabilities",
        List.of(
            "launch-standalone",
            "client-public",
            "client-confidential-symmetric",
            "permission-v1",
            "permission-v2",
            "permission-patient",
            "permission-user"));
    return smart;
  }
}
