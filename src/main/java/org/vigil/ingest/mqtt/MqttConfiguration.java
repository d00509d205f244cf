package org.vigil.ingest.mqtt;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vigil.device.DeviceCertificateAuthority;
import org.vigil.device.DeviceHealth;
import org.vigil.device.DeviceRegistry;
import org.vigil.ingest.DeadLetters;
import org.vigil.ingest.IngestProperties;
import org.vigil.node.NodeProperties;

@Configuration(proxyBeanMethods = false)
class MqttConfiguration {

  @Bean
  @ConditionalOnExpression("${vigil.mqtt.enabled:true} and '${vigil.mqtt.broker:}'.isEmpty()")
  EmbeddedMqttBroker embeddedMqttBroker(
      MqttProperties settings,
      NodeProperties node,
      DeviceRegistry devices,
      DeviceCertificateAuthority certificates,
      DeviceHealth health,
      DeviceMessageHandler handler,
      IngestProperties limits,
      MqttMetrics metrics) {
    return new EmbeddedMqttBroker(
        settings, node, devices, certificates, health, handler, limits, metrics);
  }

  @Bean
  @ConditionalOnExpression("${vigil.mqtt.enabled:true} and !'${vigil.mqtt.broker:}'.isEmpty()")
  ExternalBrokerSubscriber externalBrokerSubscriber(
      MqttProperties settings,
      NodeProperties node,
      DeviceRegistry devices,
      DeviceMessageHandler handler,
      DeadLetters deadLetters) {
    return new ExternalBrokerSubscriber(settings, node, devices, handler, deadLetters);
  }
}
