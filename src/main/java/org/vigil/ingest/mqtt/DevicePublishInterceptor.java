package org.vigil.ingest.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes device messages out of the embedded broker as they arrive. For QoS 1 and 2 the broker holds
 * the PUBACK/PUBREC until the handler says the readings are durable; a message Vigil read goes no
 * further (only status reports are delivered on, so that subscribers see the retained state). QoS 0
 * is best effort: handed on at once, read in the background.
 *
 * <p>What the device hears when something goes wrong: MQTT 5 clients get the reason code and a
 * reason string. MQTT 3.1.1 has no negative PUBACK, so a message Vigil kept as a dead letter is
 * acknowledged (it is not lost, and redelivering it would only fail again), while one Vigil could
 * not keep (rate limit, storage unavailable) ends the connection without an acknowledgement, so
 * that the device sends it again.
 */
final class DevicePublishInterceptor implements PublishInboundInterceptor {

  private static final Logger log = LoggerFactory.getLogger(DevicePublishInterceptor.class);

  private final DeviceMessageHandler handler;
  private final ExecutorService executor;
  private final Duration timeout;
  private final Clock clock = Clock.systemUTC();

  DevicePublishInterceptor(
      DeviceMessageHandler handler, ExecutorService executor, Duration timeout) {
    this.handler = handler;
    this.executor = executor;
    this.timeout = timeout;
  }

  @Override
  public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
    var publish = input.getPublishPacket();
    Optional<String> device = DeviceTopicAuthorizer.deviceOf(input.getConnectionInformation());
    Optional<DeviceTopic> topic = DeviceTopic.parse(publish.getTopic());
    if (device.isEmpty() || topic.isEmpty() || !topic.get().deviceId().equals(device.get())) {
      // Not a device's own topic (the authorizer lets none through): leave it to the broker.
      return;
    }
    byte[] payload = bytes(publish.getPayload());
    Instant receivedAt = clock.instant();
    boolean deliverOnward = topic.get().channel().equals("status");
    if (publish.getQos() == Qos.AT_MOST_ONCE) {
      if (!deliverOnward) {
        output.preventPublishDelivery();
      }
      executor.execute(() -> handler.handle(topic.get(), payload, receivedAt));
      return;
    }
    boolean mqtt5 = input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5;
    String clientId = input.getClientInformation().getClientId();
    Async<PublishInboundOutput> async =
        output.async(
            timeout.plusSeconds(2),
            TimeoutFallback.FAILURE,
            AckReasonCode.UNSPECIFIED_ERROR,
            "not confirmed durable in time; retry");
    executor.execute(() ->
        handler
            .handle(topic.get(), payload, receivedAt)
            .whenComplete((outcome, error) ->
                answer(
                    error == null
                        ? outcome
                        : new MqttOutcome(MqttOutcome.Kind.UNAVAILABLE, "retry"),
                    async,
                    deliverOnward,
                    mqtt5,
                    clientId)));
  }

  private void answer(
      MqttOutcome outcome,
      Async<PublishInboundOutput> async,
      boolean deliverOnward,
      boolean mqtt5,
      String clientId) {
    PublishInboundOutput output = async.getOutput();
    try {
      if (outcome.kind() == MqttOutcome.Kind.ACCEPTED) {
        if (!deliverOnward) {
          output.preventPublishDelivery();
        }
      } else if (mqtt5) {
        output.preventPublishDelivery(reasonCode(outcome.kind()), outcome.reason());
      } else if (outcome.kind().retry()) {
        // No acknowledgement: close the connection first, so the device sends the message again.
        Services.clientService()
            .disconnectClient(clientId)
            .whenComplete((closed, failure) -> async.resume());
        output.preventPublishDelivery();
        return;
      } else {
        output.preventPublishDelivery();
      }
    } catch (RuntimeException e) {
      log.warn("Could not answer an MQTT publish: {}", e.toString());
    }
    async.resume();
  }

  private static AckReasonCode reasonCode(MqttOutcome.Kind kind) {
    return switch (kind) {
      case ACCEPTED -> AckReasonCode.SUCCESS;
      case DEAD_LETTERED -> AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
      case UNKNOWN_TOPIC -> AckReasonCode.TOPIC_NAME_INVALID;
      case RATE_LIMITED -> AckReasonCode.QUOTA_EXCEEDED;
      case UNAVAILABLE -> AckReasonCode.UNSPECIFIED_ERROR;
    };
  }

  private static byte[] bytes(Optional<ByteBuffer> payload) {
    if (payload.isEmpty()) {
      return new byte[0];
    }
    ByteBuffer buffer = payload.get().asReadOnlyBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
