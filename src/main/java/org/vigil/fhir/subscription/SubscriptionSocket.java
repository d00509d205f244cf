package org.vigil.fhir.subscription;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.vigil.security.ScopeAuthorization;

/**
 * The websocket channel, as HAPI FHIR's servers offer it, at {@code /fhir/websocket}: the client
 * opens the socket with its bearer token (the {@code Authorization} header of the handshake), sends
 * {@code bind <subscription id>} for each of its own websocket subscriptions, hears {@code bound
 * <id>} (or {@code error <why>}), and then {@code ping <id>} each time one matches — and fetches
 * what changed over the REST API, where it is authorized as ever.
 */
final class SubscriptionSocket extends Endpoint {

  /** Where the socket's owner is kept between the handshake and the session. */
  private static final String OWNER = SubscriptionSocket.class.getName() + ".owner";

  static final String PATH = "/fhir/websocket";

  private final Notifier notifier;

  private SubscriptionSocket(Notifier notifier) {
    this.notifier = notifier;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    Object owner = config.getUserProperties().get(OWNER);
    if (!(owner instanceof Owner caller)) {
      close(session, "a bearer token allowing reads of Subscription is required");
      return;
    }
    session.getUserProperties().put(OWNER, caller);
    session.addMessageHandler(
        String.class,
        (MessageHandler.Whole<String>)
            text -> {
              String message = text.strip();
              if (!message.startsWith("bind ") || message.substring(5).isBlank()) {
                Notifier.send(session, "error send bind <subscription id>");
                return;
              }
              String id = message.substring(5).strip();
              if (id.startsWith("Subscription/")) {
                id = id.substring("Subscription/".length());
              }
              Optional<String> refused = notifier.bind(session, caller, id);
              Notifier.send(session, refused.map(r -> "error " + r).orElse("bound " + id));
            });
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    notifier.unbind(session);
  }

  @Override
  public void onError(Session session, Throwable error) {
    notifier.unbind(session);
  }

  private static void close(Session session, String why) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, why));
    } catch (IOException e) {
      // it is gone either way
    }
  }

  /**
   * The endpoint's configuration: each socket gets an endpoint with the notifier, and its
   * handshake's bearer token is checked as the REST API checks it — signature, validity, audience —
   * and must carry a scope that reads Subscriptions.
   */
  static ServerEndpointConfig config(
      ObjectProvider<Notifier> notifier, ObjectProvider<JwtDecoder> decoder) {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    return ServerEndpointConfig.Builder.create(SubscriptionSocket.class, PATH)
        .configurator(
            new ServerEndpointConfig.Configurator() {
              @Override
              public void modifyHandshake(
                  ServerEndpointConfig config,
                  HandshakeRequest request,
                  HandshakeResponse response) {
                config.getUserProperties().remove(OWNER);
                ownerOf(request.getHeaders(), decoder.getObject(), converter)
                    .ifPresent(owner -> config.getUserProperties().put(OWNER, owner));
              }

              @Override
              public <T> T getEndpointInstance(Class<T> type) {
                return type.cast(new SubscriptionSocket(notifier.getObject()));
              }
            })
        .build();
  }

  private static Optional<Owner> ownerOf(
      Map<String, List<String>> headers, JwtDecoder decoder, JwtAuthenticationConverter converter) {
    Optional<String> bearer =
        headers.entrySet().stream()
            .filter(e -> e.getKey().equalsIgnoreCase("Authorization"))
            .flatMap(e -> e.getValue().stream())
            .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
            .map(v -> v.substring(7).strip())
            .findFirst();
    if (bearer.isEmpty()) {
      return Optional.empty();
    }
    try {
      Jwt jwt = decoder.decode(bearer.get());
      Authentication caller = converter.convert(jwt);
      if (caller == null || !ScopeAuthorization.grantsOnFhir(caller, "Subscription", 'r')) {
        return Optional.empty();
      }
      return Optional.of(Owner.of(caller));
    } catch (JwtException e) {
      return Optional.empty();
    }
  }
}
