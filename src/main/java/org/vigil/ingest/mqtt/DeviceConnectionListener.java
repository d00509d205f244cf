package org.vigil.ingest.mqtt;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import java.util.concurrent.ExecutorService;
import org.vigil.device.DeviceHealth;

/** Marks devices connected and disconnected as their MQTT connections open and close. */
final class DeviceConnectionListener implements ClientLifecycleEventListener {

  private final DeviceHealth health;
  private final ExecutorService executor;

  DeviceConnectionListener(DeviceHealth health, ExecutorService executor) {
    this.health = health;
    this.executor = executor;
  }

  @Override
  public void onMqttConnectionStart(ConnectionStartInput input) {}

  @Override
  public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
    DeviceTopicAuthorizer.deviceOf(input.getConnectionInformation())
        .ifPresent(device -> executor.execute(() -> health.connected(device, true)));
  }

  @Override
  public void onDisconnect(DisconnectEventInput input) {
    DeviceTopicAuthorizer.deviceOf(input.getConnectionInformation())
        .ifPresent(device -> executor.execute(() -> health.connected(device, false)));
  }
}
