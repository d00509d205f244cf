package org.vigil.security;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * HTTPS beside plain HTTP.
 *
 * @param port the HTTPS port; 0 turns HTTPS off
 * @param keystore a PKCS #12 keystore with the server's key and certificate chain (e.g. from the
 *     hospital's CA); empty means a certificate Vigil issues itself from its own CA, for {@code
 *     hostNames}
 * @param keystorePassword the keystore's password
 * @param hostNames names the self-issued certificate is valid for; empty means localhost, loopback
 *     and this host's name
 */
@Validated
@ConfigurationProperties("vigil.https")
public record HttpsProperties(
    @Min(0) @Max(65535) @DefaultValue("0") int port,
    @DefaultValue("") String keystore,
    @DefaultValue("") String keystorePassword,
    @DefaultValue("") List<String> hostNames) {

  @Override
  public String toString() {
    return "HttpsProperties[port=" + port + ", keystore=" + keystore + "]";
  }
}
