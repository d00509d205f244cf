package org.vigil.simulate;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * MQTT 5, QoS 1, to {@code devices/{deviceId}/messages}, one connection per device with the device
 * id as user name and its token as password (docs/CONNECTIVITY.md). The PUBACK is Vigil's
 * "durable"; {@code 0x97 Quota exceeded} and {@code 0x80 Unspecified error} mean "resend", which a
 * device does a few times; other reason codes are refusals.
 */
final class MqttSender implements Sender {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String host;
  private final int port;
  private final Map<String, Mqtt5AsyncClient> clients = new ConcurrentHashMap<>();

  /**
   * @param broker {@code tcp://host:port}
   */
  MqttSender(URI broker) {
    if (!"tcp".equals(broker.getScheme()) || broker.getHost() == null) {
      throw new IllegalArgumentException("--mqtt: expected tcp://host:port, got " + broker);
    }
    this.host = broker.getHost();
    this.port = broker.getPort() < 0 ? 1883 : broker.getPort();
  }

  @Override
  public Delivery deliver(PlayedDevice device, byte[] payload, int readings) {
    return publish(device, "messages", payload, readings);
  }

  @Override
  public Delivery deliverEvent(PlayedDevice device, byte[] payload) {
    return publish(device, "events", payload, 0);
  }

  private Delivery publish(PlayedDevice device, String channel, byte[] payload, int readings) {
    String lastProblem = "";
    for (int attempt = 0; attempt < HttpSender.ATTEMPTS; attempt++) {
      Mqtt5AsyncClient client;
      try {
        client = connected(device);
      } catch (Mqtt5ConnAckException e) {
        return Delivery.refused("MQTT connect " + e.getMqttMessage().getReasonCode(), attempt);
      } catch (RuntimeException e) {
        lastProblem = "MQTT connect " + simpleName(e);
        pause(Duration.ofMillis(250L << attempt));
        continue;
      }
      Mqtt5PubAckReasonCode code;
      try {
        Mqtt5PublishResult result =
            client
                .publishWith()
                .topic("devices/" + device.id() + "/" + channel)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        code = ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Mqtt5PubAckException refused) {
          code = refused.getMqttMessage().getReasonCode();
        } else {
          lastProblem = "MQTT " + simpleName(e.getCause());
          forget(device);
          continue;
        }
      } catch (TimeoutException e) {
        lastProblem = "MQTT timeout";
        forget(device);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Delivery.failed("interrupted", attempt);
      }
      if (!code.isError()) {
        return Delivery.accepted(readings, attempt);
      }
      if (code == Mqtt5PubAckReasonCode.QUOTA_EXCEEDED
          || code == Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR) {
        lastProblem = "MQTT " + code;
        pause(Duration.ofMillis(500L << attempt));
        continue;
      }
      return Delivery.refused("MQTT " + code, attempt);
    }
    return lastProblem.startsWith("MQTT QUOTA") || lastProblem.startsWith("MQTT UNSPECIFIED")
        ? Delivery.refused(lastProblem + " after " + HttpSender.ATTEMPTS + " attempts", 4)
        : Delivery.failed(lastProblem, HttpSender.ATTEMPTS - 1);
  }

  private Mqtt5AsyncClient connected(PlayedDevice device) {
    Mqtt5AsyncClient client = clients.get(device.id());
    if (client != null && client.getState().isConnected()) {
      return client;
    }
    client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(device.id())
            .serverHost(host)
            .serverPort(port)
            .simpleAuth()
            .username(device.id())
            .password(device.device().token().getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .buildAsync();
    try {
      client.connect().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Mqtt5ConnAckException refused) {
        throw refused;
      }
      throw new IllegalStateException(simpleName(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timeout", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    clients.put(device.id(), client);
    return client;
  }

  @Override
  public void disconnect(PlayedDevice device) {
    Mqtt5AsyncClient client = clients.remove(device.id());
    if (client != null && client.getState().isConnected()) {
      client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  private void forget(PlayedDevice device) {
    Mqtt5AsyncClient client = clients.remove(device.id());
    if (client != null) {
      client.disconnect().exceptionally(e -> null);
    }
  }

  private static String simpleName(Throwable e) {
    return e == null ? "error" : e.getClass().getSimpleName();
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    for (String id : Map.copyOf(clients).keySet()) {
      Mqtt5AsyncClient client = clients.remove(id);
      if (client != null && client.getState().isConnected()) {
        client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
    }
  }
}
