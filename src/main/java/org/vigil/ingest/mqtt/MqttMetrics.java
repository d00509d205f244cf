package org.vigil.ingest.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** What the MQTT transport refuses, by reason, for the operator. */
@Component
class MqttMetrics {

  private final MeterRegistry meters;

  MqttMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void connection(String outcome) {
    Counter.builder("vigil.mqtt.connections")
        .description("MQTT connection attempts by outcome")
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }

  /** A publish or subscribe refused by the topic rules (ACL). */
  void refused(String what) {
    Counter.builder("vigil.mqtt.refused")
        .description("MQTT publishes and subscriptions refused by the topic rules")
        .tag("what", what)
        .register(meters)
        .increment();
  }
}
