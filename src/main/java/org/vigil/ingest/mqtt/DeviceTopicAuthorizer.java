package org.vigil.ingest.mqtt;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import java.util.Optional;

/**
 * The topic rules: a device may publish only under {@code devices/{its own id}/} and subscribe only
 * to {@code devices/{its own id}/commands/#}. A refused publish gets reason code NOT_AUTHORIZED
 * followed by a DISCONNECT (MQTT 5: the broker ends the connection of a client that publishes where
 * it may not) or a disconnect alone (MQTT 3.1.1, which has no way to refuse a PUBLISH); a refused
 * subscription gets NOT_AUTHORIZED (MQTT 5) or the failure return code 0x80 (MQTT 3.1.1). Each
 * refusal is counted.
 */
final class DeviceTopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

  private final MqttMetrics metrics;

  DeviceTopicAuthorizer(MqttMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
    Optional<String> device = deviceOf(input.getConnectionInformation());
    String topic = input.getPublishPacket().getTopic();
    if (device.isPresent() && topic.startsWith(DeviceTopic.ROOT + device.get() + "/")) {
      output.authorizeSuccessfully();
      return;
    }
    metrics.refused("publish");
    String reason = "a device publishes only under devices/{its own id}/";
    if (input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5) {
      output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, reason);
    } else {
      output.disconnectClient(DisconnectReasonCode.NOT_AUTHORIZED, reason);
    }
  }

  @Override
  public void authorizeSubscribe(
      SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
    Optional<String> device = deviceOf(input.getConnectionInformation());
    String filter = input.getSubscription().getTopicFilter();
    if (device.isPresent() && DeviceTopic.maySubscribe(device.get(), filter)) {
      output.authorizeSuccessfully();
      return;
    }
    metrics.refused("subscribe");
    output.failAuthorization(
        SubackReasonCode.NOT_AUTHORIZED,
        "a device subscribes only to devices/{its own id}/commands/#");
  }

  static Optional<String> deviceOf(
      com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation connection) {
    return connection
        .getConnectionAttributeStore()
        .getAsString(DeviceAuthenticator.DEVICE_ATTRIBUTE);
  }
}
