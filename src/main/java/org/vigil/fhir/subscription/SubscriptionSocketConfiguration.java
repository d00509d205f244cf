package org.vigil.fhir.subscription;

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
 * Puts the Subscription websocket endpoint into the servlet container's websocket support (JSR 356,
 * which Spring Boot installs in its embedded Tomcat), once the server exists and before it takes
 * requests. The upgrade is taken before the request reaches any servlet, so the endpoint lives
 * under {@code /fhir} beside HAPI's servlet; Spring Security's filters see the handshake first, as
 * they see every {@code /fhir} request. Only in a node that serves HTTP: the command line's
 * administrative contexts have no server.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SubscriptionSocketConfiguration {

  @Bean
  SmartInitializingSingleton subscriptionWebSocket(
      WebApplicationContext web,
      ObjectProvider<Notifier> notifier,
      ObjectProvider<JwtDecoder> decoder) {
    return () -> {
      ServletContext servlets = web.getServletContext();
      if (servlets == null
          || !(servlets.getAttribute(ServerContainer.class.getName())
              instanceof ServerContainer container)) {
        throw new IllegalStateException(
            "the servlet container has no websocket support for " + SubscriptionSocket.PATH);
      }
      try {
        container.addEndpoint(SubscriptionSocket.config(notifier, decoder));
      } catch (DeploymentException e) {
        throw new IllegalStateException("the Subscription websocket cannot start", e);
      }
    };
  }
}
