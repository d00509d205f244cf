package org.vigil.fhir.subscription;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vigil.outbound.EndpointAllowList;

/**
 * Sends a rest-hook's notifications: a POST to its endpoint with its headers, carrying the matching
 * resource (channel.payload) or nothing. Only endpoints the allow-list allows — checked again at
 * every send, so that tightening the list stops deliveries at once — and redirects are not followed
 * (a redirect could lead anywhere). A notification is tried up to {@code max-attempts} times,
 * waiting {@code first-retry} and then twice as long each time.
 */
@Component
class RestHook {

  private static final Logger log = LoggerFactory.getLogger(RestHook.class);

  /** Tells a receiver what a POST is: {@code handshake} or {@code notification}. */
  static final String EVENT_HEADER = "X-Vigil-Subscription-Event";

  private final SubscriptionProperties settings;
  private final EndpointAllowList allowList;
  private final FhirContext fhir;
  private final HttpClient http;

  RestHook(SubscriptionProperties settings, FhirContext fhir) {
    this.settings = settings;
    this.allowList =
        EndpointAllowList.of(
            SubscriptionProperties.ALLOWED_ENDPOINTS, "rest-hook", settings.allowedEndpoints());
    this.fhir = fhir;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Why the endpoint may not be used, or empty when it may. */
  Optional<String> problemWith(String endpoint) {
    return allowList.problem(endpoint);
  }

  /** One empty POST: the endpoint is there and takes Vigil's notifications. */
  Optional<String> handshake(StoredSubscription subscription) {
    return post(subscription, null, "handshake");
  }

  /**
   * Delivers one notification, retrying with backoff.
   *
   * @return why it could not be delivered, after the last attempt; empty once it was
   */
  Optional<String> deliver(StoredSubscription subscription, IBaseResource resource)
      throws InterruptedException {
    Duration wait = settings.firstRetry();
    Optional<String> failure = Optional.empty();
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      failure = post(subscription, resource, "notification");
      if (failure.isEmpty()) {
        return failure;
      }
      log.debug("Subscription/{} attempt {} failed: {}", subscription.id(), attempt, failure.get());
      if (attempt < settings.maxAttempts()) {
        Thread.sleep(wait);
        wait = wait.multipliedBy(2);
      }
    }
    return failure.map(f -> "delivery failed " + settings.maxAttempts() + " times: " + f);
  }

  private Optional<String> post(
      StoredSubscription subscription, IBaseResource resource, String event) {
    String endpoint = subscription.endpoint().orElseThrow();
    Optional<String> refused =
        allowList
            .problem(endpoint)
            .or(() -> EndpointAllowList.resolvesToForbidden(URI.create(endpoint)));
    if (refused.isPresent()) {
      return refused;
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint))
            .timeout(settings.timeout())
            .header(EVENT_HEADER, event);
    for (String header : subscription.headers()) {
      int colon = header.indexOf(':');
      request.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
    }
    if (resource != null && subscription.payload().isPresent()) {
      String type = subscription.payload().get();
      String body =
          (type.endsWith("xml") ? fhir.newXmlParser() : fhir.newJsonParser())
              .encodeResourceToString(resource);
      request
          .header("Content-Type", type + "; charset=UTF-8")
          .POST(HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.POST(HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<Void> response =
          http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() / 100 == 2
          ? Optional.empty()
          : Optional.of(endpoint + " answered HTTP " + response.statusCode());
    } catch (IOException e) {
      return Optional.of(endpoint + " could not be reached: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    } catch (IllegalArgumentException e) {
      return Optional.of("the request could not be made: " + e.getMessage());
    }
  }
}
