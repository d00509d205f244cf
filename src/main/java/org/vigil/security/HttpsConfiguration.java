package org.vigil.security;

import java.util.List;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vigil.device.DeviceCertificateAuthority;

/**
 * An HTTPS listener beside the plain one, speaking TLS 1.2 and 1.3 only with forward-secret AEAD
 * cipher suites. Its certificate is the configured keystore's or, by default, one Vigil's own CA
 * issues for this host (clients then trust {@code <data-dir>/ca/ca.crt}). Requests over it get HSTS
 * from Spring Security.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class HttpsConfiguration {

  /** TLS 1.2 suites with forward secrecy and authenticated encryption; TLS 1.3's are all such. */
  static final String CIPHERS =
      String.join(
          ":",
          List.of(
              "TLS_AES_128_GCM_SHA256",
              "TLS_AES_256_GCM_SHA384",
              "TLS_CHACHA20_POLY1305_SHA256",
              "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
              "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
              "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
              "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
              "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
              "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> httpsListener(
      HttpsProperties https, DeviceCertificateAuthority certificates) {
    return factory -> {
      if (https.port() == 0) {
        return;
      }
      String keystore;
      String password;
      if (https.keystore().isBlank()) {
        List<String> names =
            https.hostNames().isEmpty() || https.hostNames().equals(List.of(""))
                ? DeviceCertificateAuthority.localHostNames()
                : https.hostNames();
        DeviceCertificateAuthority.ServerTls tls = certificates.serverTls(names);
        keystore = tls.keystore().toAbsolutePath().toString();
        password = tls.password();
      } else {
        keystore = https.keystore();
        password = https.keystorePassword();
      }
      Connector connector = new Connector(Http11NioProtocol.class.getName());
      connector.setScheme("https");
      connector.setSecure(true);
      connector.setPort(https.port());
      Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();
      protocol.setSSLEnabled(true);
      SSLHostConfig host = new SSLHostConfig();
      host.setProtocols("TLSv1.2+TLSv1.3");
      host.setCiphers(CIPHERS);
      host.setHonorCipherOrder(true);
      SSLHostConfigCertificate certificate =
          new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
      certificate.setCertificateKeystoreFile(keystore);
      certificate.setCertificateKeystorePassword(password);
      certificate.setCertificateKeystoreType("PKCS12");
      host.addCertificate(certificate);
      protocol.addSslHostConfig(host);
      factory.addAdditionalConnectors(connector);
    };
  }
}
