package org.vigil.telemedicine;

import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.context.WebApplicationContext;

/**
 * Puts the visit signalling socket into the servlet container's websocket support, as the FHIR
 * Subscription socket is, in a node that serves HTTP.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class VisitSocketConfiguration {

  @Bean
  SmartInitializingSingleton visitWebSocket(
      WebApplicationContext web,
      ObjectProvider<VisitRooms> rooms,
      ObjectProvider<JwtDecoder> decoder) {
    return () -> {
      ServletContext servlets = web.getServletContext();
      if (servlets == null
          || !(servlets.getAttribute(ServerContainer.class.getName())
              instanceof ServerContainer container)) {
        throw new IllegalStateException(
            "the servlet container has no websocket support for " + VisitSocket.PATH);
      }
      try {
        container.addEndpoint(VisitSocket.config(rooms, decoder));
      } catch (DeploymentException e) {
        throw new IllegalStateException("the visit signalling socket cannot start", e);
      }
    };
  }
}
