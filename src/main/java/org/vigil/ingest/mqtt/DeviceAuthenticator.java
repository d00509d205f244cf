package org.vigil.ingest.mqtt;

import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.vigil.device.DeviceCertificateAuthority;
import org.vigil.device.DeviceRegistry;

/**
 * Authenticates a device when it connects: by the client certificate Vigil's device CA issued it
 * (mutual TLS; the certificate's CN is the device id), or by user name = device id and password =
 * device token. The authenticated device id is kept on the connection for the topic rules and the
 * message handler. Checks hit the database, so they run off the broker's event loop.
 */
final class DeviceAuthenticator implements SimpleAuthenticator {

  static final String DEVICE_ATTRIBUTE = "vigil.device";

  private final DeviceRegistry devices;
  private final DeviceCertificateAuthority certificates;
  private final ExecutorService executor;
  private final MqttMetrics metrics;

  DeviceAuthenticator(
      DeviceRegistry devices,
      DeviceCertificateAuthority certificates,
      ExecutorService executor,
      MqttMetrics metrics) {
    this.devices = devices;
    this.certificates = certificates;
    this.executor = executor;
    this.metrics = metrics;
  }

  @Override
  public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    var async =
        output.async(
            Duration.ofSeconds(10),
            TimeoutFallback.FAILURE,
            ConnackReasonCode.SERVER_BUSY,
            "authentication timed out; retry");
    Optional<X509Certificate> certificate =
        input
            .getConnectionInformation()
            .getClientTlsInformation()
            .flatMap(ClientTlsInformation::getClientCertificate);
    Optional<String> userName = input.getConnectPacket().getUserName();
    Optional<String> password =
        input.getConnectPacket().getPassword().map(DeviceAuthenticator::text);
    executor.execute(() -> {
      try {
        Optional<String> device = authenticate(certificate, userName, password);
        if (device.isPresent()) {
          input
              .getConnectionInformation()
              .getConnectionAttributeStore()
              .putAsString(DEVICE_ATTRIBUTE, device.get());
          metrics.connection("accepted");
          output.authenticateSuccessfully();
        } else {
          metrics.connection("refused");
          output.failAuthentication(
              certificate.isPresent()
                  ? ConnackReasonCode.NOT_AUTHORIZED
                  : ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
              "unknown device, wrong token, or a revoked or unknown certificate");
        }
      } catch (RuntimeException e) {
        metrics.connection("error");
        output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "try again later");
      } finally {
        async.resume();
      }
    });
  }

  private Optional<String> authenticate(
      Optional<X509Certificate> certificate, Optional<String> userName, Optional<String> password) {
    if (certificate.isPresent()) {
      Optional<String> device = certificates.authenticate(certificate.get());
      // A user name, if given with a certificate, must name the same device.
      return device.filter(id -> userName.map(id::equals).orElse(true));
    }
    if (userName.isPresent()
        && password.isPresent()
        && devices.authenticate(userName.get(), password.get())) {
      return userName;
    }
    return Optional.empty();
  }

  private static String text(ByteBuffer buffer) {
    return StandardCharsets.UTF_8.decode(buffer.asReadOnlyBuffer()).toString();
  }
}
