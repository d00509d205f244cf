package org.vigil.ingest.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.vigil.device.DeviceCommandChannel;
import org.vigil.device.DeviceRegistry;
import org.vigil.ingest.DeadLetters;
import org.vigil.node.NodeProperties;

/**
 * External-broker mode ({@code --mqtt-broker tcp://host:port}): Vigil is a client of an existing
 * broker (Mosquitto, EMQX, HiveMQ) and takes device messages through shared subscriptions ({@code
 * $share/vigil/devices/+/messages} and the other device topics), so that several Vigil nodes split
 * the load. The broker authenticates devices and enforces their topic rules (e.g. Mosquitto's
 * {@code pattern write devices/%u/#}); Vigil reads only topics of registered devices.
 *
 * <p>The device's PUBACK comes from the broker. Vigil's part of the promise is to acknowledge each
 * message to the broker only once it is durable (or kept as a dead letter), on a persistent
 * session: a node that dies before acknowledging gets the message again, or the broker gives it to
 * another node. Messages that cannot be stored now (storage busy, the device's rate exceeded) are
 * retried after a pause rather than acknowledged.
 */
final class ExternalBrokerSubscriber implements SmartLifecycle, DeviceCommandChannel {

  private static final Logger log = LoggerFactory.getLogger(ExternalBrokerSubscriber.class);
  static final List<String> CHANNELS =
      List.of("devices/+/messages", "devices/+/gatt/+", "devices/+/events", "devices/+/status");
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final MqttProperties settings;
  private final DeviceRegistry devices;
  private final DeviceMessageHandler handler;
  private final DeadLetters deadLetters;
  private final String clientId;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("mqtt-broker-retries").daemon().factory());
  private volatile Mqtt5AsyncClient client;

  ExternalBrokerSubscriber(
      MqttProperties settings,
      NodeProperties node,
      DeviceRegistry devices,
      DeviceMessageHandler handler,
      DeadLetters deadLetters) {
    this.settings = settings;
    this.devices = devices;
    this.handler = handler;
    this.deadLetters = deadLetters;
    // Stable per node, so that the broker keeps this node's session across restarts.
    this.clientId = "vigil-" + settings.sharedGroup() + "-node-" + node.nodeId();
  }

  @Override
  public void start() {
    URI broker = URI.create(settings.broker());
    Mqtt5ClientBuilder builder =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(clientId)
            .serverHost(broker.getHost())
            .serverPort(broker.getPort() > 0 ? broker.getPort() : 1883)
            .automaticReconnectWithDefaultConfig()
            .addConnectedListener(context -> subscribe());
    if (broker.getScheme().equals("ssl") || broker.getScheme().equals("mqtts")) {
      builder = builder.sslWithDefaultConfig();
    }
    if (!settings.brokerUsername().isBlank()) {
      builder =
          builder
              .simpleAuth()
              .username(settings.brokerUsername())
              .password(settings.brokerPassword().getBytes(StandardCharsets.UTF_8))
              .applySimpleAuth();
    }
    Mqtt5AsyncClient created = builder.buildAsync();
    // Manual acknowledgement: the broker hears "done" only once the message is durable.
    created.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::receive, true);
    client = created;
    created
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(settings.brokerSessionExpiry().toSeconds())
        .send()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
    log.info("Taking device messages from the MQTT broker at {} as {}", broker, clientId);
  }

  private void subscribe() {
    Mqtt5Subscribe all =
        Mqtt5Subscribe.builder()
            .addSubscriptions(
                CHANNELS.stream()
                    .map(channel ->
                        Mqtt5Subscription.builder()
                            .topicFilter("$share/" + settings.sharedGroup() + "/" + channel)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .build()))
            .build();
    Mqtt5AsyncClient connected = client;
    if (connected != null) {
      connected
          .subscribe(all)
          .whenComplete((ack, error) -> {
            if (error != null) {
              log.error("Could not subscribe to the device topics: {}", error.toString());
            }
          });
    }
  }

  private void receive(Mqtt5Publish publish) {
    Instant receivedAt = clock.instant();
    Optional<DeviceTopic> topic = DeviceTopic.parse(publish.getTopic().toString());
    byte[] payload = publish.getPayloadAsBytes();
    if (topic.isEmpty() || devices.find(topic.get().deviceId()).isEmpty()) {
      deadLetters.record(
          topic.map(DeviceTopic::deviceId).orElse(null),
          DeviceMessageHandler.TRANSPORT,
          "topic " + publish.getTopic(),
          payload,
          receivedAt,
          "not a topic of a registered device");
      publish.acknowledge();
      return;
    }
    attempt(publish, topic.get(), payload, receivedAt, Duration.ofMillis(200));
  }

  private void attempt(
      Mqtt5Publish publish,
      DeviceTopic topic,
      byte[] payload,
      Instant receivedAt,
      Duration backoff) {
    Thread.ofVirtual()
        .start(() ->
            handler
                .handle(topic, payload, receivedAt)
                .whenComplete((outcome, error) -> {
                  if (error == null && !outcome.kind().retry()) {
                    publish.acknowledge();
                    return;
                  }
                  Duration next =
                      backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                          ? MAX_BACKOFF
                          : backoff.multipliedBy(2);
                  retries.schedule(
                      () -> attempt(publish, topic, payload, receivedAt, next),
                      backoff.toMillis(),
                      TimeUnit.MILLISECONDS);
                }));
  }

  @Override
  public CompletableFuture<Void> send(String deviceId, String command, byte[] payload) {
    Mqtt5AsyncClient connected = client;
    if (connected == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
    }
    return connected
        .publishWith()
        .topic(DeviceTopic.ROOT + deviceId + "/commands/" + command)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload)
        .send()
        .thenApply(result -> null);
  }

  @Override
  public void stop() {
    Mqtt5AsyncClient running = client;
    client = null;
    if (running != null) {
      try {
        running.disconnect().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("Did not disconnect cleanly from the MQTT broker: {}", e.toString());
      }
    }
    retries.shutdownNow();
  }

  @Override
  public boolean isRunning() {
    return client != null;
  }

  @Override
  public int getPhase() {
    return DEFAULT_PHASE - 2048;
  }
}
