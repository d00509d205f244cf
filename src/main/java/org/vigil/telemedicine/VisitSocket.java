package org.vigil.telemedicine;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.vigil.security.ScopeAuthorization;

/**
 * The visit signalling socket at {@code /api/v1/visits/signal}. A browser cannot put an {@code
 * Authorization} header on a websocket handshake, so the handshake is open and the first frame
 * authenticates: {@code {"type": "join", "accessToken": …, "link": …}} — the person's access token,
 * checked as the REST API checks it and required to read Appointments, and their single-use join
 * link. A socket that sends anything else first, or whose join is refused, is answered with an
 * {@code error} frame naming why and closed.
 */
final class VisitSocket extends Endpoint {

  static final String PATH = "/api/v1/visits/signal";

  private static final String MEMBER = VisitSocket.class.getName() + ".member";

  private final VisitRooms rooms;
  private final VisitRooms.Authenticator authenticator;

  private VisitSocket(VisitRooms rooms, VisitRooms.Authenticator authenticator) {
    this.rooms = rooms;
    this.authenticator = authenticator;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    // room to read a frame somewhat too large and say so; past this the container closes the
    // socket (1009, too big) before any of it is read
    session.setMaxTextMessageBufferSize(4 * VisitRooms.MAX_FRAME);
    session.setMaxIdleTimeout(0);
    session.addMessageHandler(
        String.class,
        (MessageHandler.Whole<String>)
            text -> {
              Optional<VisitRooms.Member> member = member(session);
              Optional<VisitRooms.Member> now = rooms.receive(session, member, text, authenticator);
              now.ifPresent(m -> session.getUserProperties().put(MEMBER, m));
            });
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    member(session).ifPresent(m -> rooms.leave(session, m));
  }

  @Override
  public void onError(Session session, Throwable error) {
    member(session).ifPresent(m -> rooms.leave(session, m));
  }

  private static Optional<VisitRooms.Member> member(Session session) {
    return session.getUserProperties().get(MEMBER) instanceof VisitRooms.Member m
        ? Optional.of(m)
        : Optional.empty();
  }

  static ServerEndpointConfig config(
      ObjectProvider<VisitRooms> rooms, ObjectProvider<JwtDecoder> decoder) {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    VisitRooms.Authenticator authenticator =
        token -> {
          try {
            Authentication caller = converter.convert(decoder.getObject().decode(token));
            return caller != null && ScopeAuthorization.grantsOnFhir(caller, "Appointment", 'r')
                ? Optional.of(caller)
                : Optional.empty();
          } catch (JwtException e) {
            return Optional.empty();
          }
        };
    return ServerEndpointConfig.Builder.create(VisitSocket.class, PATH)
        .configurator(
            new ServerEndpointConfig.Configurator() {
              @Override
              public <T> T getEndpointInstance(Class<T> type) {
                return type.cast(new VisitSocket(rooms.getObject(), authenticator));
              }
            })
        .build();
  }
}
