package org.vigil.ingest.mqtt;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The MQTT transport.
 *
 * @param enabled whether this node takes device messages over MQTT at all
 * @param port plain MQTT port of the embedded broker (0 turns the plain listener off)
 * @param tlsPort MQTT over TLS port of the embedded broker, with optional client certificates (0
 *     turns it off)
 * @param bindAddress the address the embedded broker listens on
 * @param hostNames names the TLS certificate is valid for; empty means localhost, loopback and this
 *     host's name
 * @param broker an external broker to use instead of the embedded one, e.g. {@code
 *     tcp://mqtt.hospital.local:1883}; empty means embedded
 * @param sharedGroup the shared-subscription group name the nodes of a cluster split the load by
 * @param brokerUsername user name for the external broker, if it requires one
 * @param brokerPassword password for the external broker
 * @param maxQueuedMessages messages the broker queues per offline device session (commands)
 * @param brokerSessionExpiry how long an external broker keeps Vigil's session (and the messages
 *     queued for it) while this node is away
 */
@Validated
@ConfigurationProperties("vigil.mqtt")
public record MqttProperties(
    @DefaultValue("true") boolean enabled,
    @Min(0) @Max(65535) @DefaultValue("1883") int port,
    @Min(0) @Max(65535) @DefaultValue("8883") int tlsPort,
    @DefaultValue("0.0.0.0") String bindAddress,
    @DefaultValue("") List<String> hostNames,
    @DefaultValue("") String broker,
    @DefaultValue("vigil") String sharedGroup,
    @DefaultValue("") String brokerUsername,
    @DefaultValue("") String brokerPassword,
    @Min(1) @DefaultValue("10000") int maxQueuedMessages,
    @DefaultValue("P1D") java.time.Duration brokerSessionExpiry) {

  public boolean embedded() {
    return broker.isBlank();
  }

  @Override
  public String toString() {
    return "MqttProperties[port=" + port + ", tlsPort=" + tlsPort + ", broker=" + broker + "]";
  }
}
