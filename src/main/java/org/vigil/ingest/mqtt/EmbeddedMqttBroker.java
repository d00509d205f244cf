package org.vigil.ingest.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.util.HtmlUtils;
import org.vigil.device.DeviceCertificateAuthority;
import org.vigil.device.DeviceCommandChannel;
import org.vigil.device.DeviceHealth;
import org.vigil.device.DeviceRegistry;
import org.vigil.ingest.IngestProperties;
import org.vigil.node.NodeProperties;

/**
 * The embedded MQTT broker (HiveMQ Community Edition): plain MQTT on {@code vigil.mqtt.port}, MQTT
 * over TLS with optional device client certificates on {@code vigil.mqtt.tls-port}, sessions and
 * retained messages persisted under {@code <data-dir>/mqtt}. Vigil plugs into it as an embedded
 * extension: device authentication, topic rules, and an interceptor that takes device messages
 * in-process — nothing is relayed through a subscriber queue, so none can be dropped there.
 */
final class EmbeddedMqttBroker implements SmartLifecycle, DeviceCommandChannel {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedMqttBroker.class);
  static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(5);

  private final MqttProperties settings;
  private final NodeProperties node;
  private final DeviceRegistry devices;
  private final DeviceCertificateAuthority certificates;
  private final DeviceHealth health;
  private final DeviceMessageHandler handler;
  private final IngestProperties limits;
  private final MqttMetrics metrics;
  private volatile ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private volatile EmbeddedHiveMQ broker;

  EmbeddedMqttBroker(
      MqttProperties settings,
      NodeProperties node,
      DeviceRegistry devices,
      DeviceCertificateAuthority certificates,
      DeviceHealth health,
      DeviceMessageHandler handler,
      IngestProperties limits,
      MqttMetrics metrics) {
    this.settings = settings;
    this.node = node;
    this.devices = devices;
    this.certificates = certificates;
    this.health = health;
    this.handler = handler;
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void start() {
    if (executor.isShutdown()) {
      executor = Executors.newVirtualThreadPerTaskExecutor(); // started again after a stop
    }
    Path home = node.dataDir().resolve("mqtt");
    try {
      Path conf = Files.createDirectories(home.resolve("conf"));
      Files.createDirectories(home.resolve("data"));
      Path extensions = Files.createDirectories(home.resolve("extensions"));
      Files.writeString(conf.resolve("config.xml"), configuration());
      broker =
          EmbeddedHiveMQ.builder()
              .withConfigurationFolder(conf)
              .withDataFolder(home.resolve("data"))
              .withExtensionsFolder(extensions)
              .withEmbeddedExtension(extension())
              .withoutLoggingBootstrap()
              .build();
      broker.start().get();
      log.info(
          "MQTT broker listening on port {} (plain) and {} (TLS)",
          settings.port() == 0 ? "-" : settings.port(),
          settings.tlsPort() == 0 ? "-" : settings.tlsPort());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the MQTT broker under " + home, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the MQTT broker", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the MQTT broker did not start: " + e.getCause(), e);
    }
  }

  @Override
  public void stop() {
    EmbeddedHiveMQ running = broker;
    broker = null;
    if (running != null) {
      try {
        running.stop().get();
        running.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        log.warn("The MQTT broker did not stop cleanly: {}", e.getCause().toString());
      }
    }
    executor.shutdown();
  }

  @Override
  public boolean isRunning() {
    return broker != null;
  }

  /** Start before the web server and the demo, stop after the web server stopped taking work. */
  @Override
  public int getPhase() {
    return DEFAULT_PHASE - 2048;
  }

  @Override
  public CompletableFuture<Void> send(String deviceId, String command, byte[] payload) {
    if (broker == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the broker is not running"));
    }
    return Services.publishService()
        .publish(
            Builders.publish()
                .topic(DeviceTopic.ROOT + deviceId + "/commands/" + command)
                .qos(Qos.AT_LEAST_ONCE)
                .payload(ByteBuffer.wrap(payload))
                .build());
  }

  private EmbeddedExtension extension() {
    return EmbeddedExtension.builder()
        .withId("vigil")
        .withName("Vigil device connectivity")
        .withVersion("1")
        .withPriority(1000)
        .withStartPriority(1000)
        .withExtensionMain(
            new ExtensionMain() {
              @Override
              public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                var authenticator =
                    new DeviceAuthenticator(devices, certificates, executor, metrics);
                var authorizer = new DeviceTopicAuthorizer(metrics);
                var interceptor =
                    new DevicePublishInterceptor(handler, executor, limits.durableTimeout());
                var connections = new DeviceConnectionListener(health, executor);
                Services.securityRegistry().setAuthenticatorProvider(any -> authenticator);
                Services.securityRegistry().setAuthorizerProvider(any -> authorizer);
                Services.initializerRegistry()
                    .setClientInitializer(
                        (client, context) -> context.addPublishInboundInterceptor(interceptor));
                Services.eventRegistry().setClientLifecycleEventListener(any -> connections);
              }

              @Override
              public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
            })
        .build();
  }

  /** HiveMQ's config.xml: listeners, TLS, limits, no phoning home. */
  String configuration() {
    StringBuilder listeners = new StringBuilder();
    if (settings.port() > 0) {
      listeners.append(
          """
              <tcp-listener>
                <port>%d</port>
                <bind-address>%s</bind-address>
                <name>mqtt</name>
              </tcp-listener>
          """
              .formatted(settings.port(), xml(settings.bindAddress())));
    }
    if (settings.tlsPort() > 0) {
      var tls =
          certificates.serverTls(
              settings.hostNames().isEmpty() || settings.hostNames().equals(java.util.List.of(""))
                  ? DeviceCertificateAuthority.localHostNames()
                  : settings.hostNames());
      listeners.append(
          """
              <tls-tcp-listener>
                <port>%d</port>
                <bind-address>%s</bind-address>
                <name>mqtts</name>
                <tls>
                  <keystore>
                    <path>%s</path>
                    <password>%s</password>
                    <private-key-password>%s</private-key-password>
                  </keystore>
                  <truststore>
                    <path>%s</path>
                    <password>%s</password>
                  </truststore>
                  <client-authentication-mode>OPTIONAL</client-authentication-mode>
                  <protocols>
                    <protocol>TLSv1.3</protocol>
                    <protocol>TLSv1.2</protocol>
                  </protocols>
                </tls>
              </tls-tcp-listener>
          """
              .formatted(
                  settings.tlsPort(),
                  xml(settings.bindAddress()),
                  xml(tls.keystore().toString()),
                  xml(tls.password()),
                  xml(tls.password()),
                  xml(tls.truststore().toString()),
                  xml(tls.password())));
    }
    return """
    <?xml version="1.0"?>
    <hivemq>
      <listeners>
    %s  </listeners>
      <mqtt>
        <queued-messages>
          <max-queue-size>%d</max-queue-size>
        </queued-messages>
        <packets>
          <max-packet-size>%d</max-packet-size>
        </packets>
      </mqtt>
      <restrictions>
        <no-connect-idle-timeout>%d</no-connect-idle-timeout>
      </restrictions>
      <anonymous-usage-statistics>
        <enabled>false</enabled>
      </anonymous-usage-statistics>
    </hivemq>
    """
        .formatted(
            listeners,
            settings.maxQueuedMessages(),
            // the payload limit plus room for the topic and properties
            limits.maxPayloadBytes() + 16 * 1024,
            // a connection that has not sent a complete CONNECT by then is closed
            CONNECT_TIMEOUT.toMillis());
  }

  private static String xml(String text) {
    return HtmlUtils.htmlEscape(text);
  }
}
