package org.vigil.simulate;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * MQTT over TLS ({@code --mqtt mqtts://host:8883}): the CA the devices trust ({@code --mqtt-ca},
 * the {@code ca.crt} that {@code ./vigil devices cert} writes; the JDK's trust store without it)
 * and, for mutual TLS, the directory of device certificates ({@code --client-certs}: {@code
 * <id>.crt} and {@code <id>.key} per device, as {@code ./vigil devices cert --out DIR} writes
 * them). A device with a certificate there authenticates with it and sends no token; one without
 * uses its token over TLS. TLS 1.2 and 1.3 only, as Vigil's listener speaks.
 */
public record MqttTls(Optional<Path> caFile, Optional<Path> clientCertificates) {

  public static final MqttTls NONE = new MqttTls(Optional.empty(), Optional.empty());

  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** Whether the device has a certificate of its own to connect with. */
  boolean hasCertificate(String deviceId) {
    return clientCertificates
        .map(dir -> Files.isRegularFile(dir.resolve(deviceId + ".crt")))
        .orElse(false);
  }

  /** The TLS settings one device connects with. */
  MqttClientSslConfig forDevice(String deviceId) {
    try {
      com.hivemq.client.mqtt.MqttClientSslConfigBuilder ssl =
          MqttClientSslConfig.builder().protocols(PROTOCOLS);
      if (caFile.isPresent()) {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int i = 0;
        for (Certificate ca : certificates(caFile.get())) {
          trusted.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory trust =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        ssl = ssl.trustManagerFactory(trust);
      }
      if (hasCertificate(deviceId)) {
        Path dir = clientCertificates.orElseThrow();
        char[] password = new char[0];
        KeyStore own = KeyStore.getInstance("PKCS12");
        own.load(null, null);
        own.setKeyEntry(
            deviceId,
            privateKey(dir.resolve(deviceId + ".key")),
            password,
            certificates(dir.resolve(deviceId + ".crt")).toArray(Certificate[]::new));
        KeyManagerFactory keys =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own, password);
        ssl = ssl.keyManagerFactory(keys);
      }
      return ssl.build();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS for device " + deviceId + ": " + e.getMessage(), e);
    }
  }

  private static List<Certificate> certificates(Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
  }

  private static PrivateKey privateKey(Path pem) throws IOException {
    try (Reader reader = Files.newBufferedReader(pem);
        PEMParser parser = new PEMParser(reader)) {
      Object parsed = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (parsed instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (parsed instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new IOException(pem + " holds no private key");
    }
  }
}
