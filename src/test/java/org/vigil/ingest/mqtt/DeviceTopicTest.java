package org.vigil.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceTopicTest {

  @Test
  void readsADevicesTopics() {
    assertThat(DeviceTopic.parse("devices/monitor-1/messages"))
        .contains(new DeviceTopic("monitor-1", "messages", ""));
    assertThat(DeviceTopic.parse("devices/monitor-1/gatt/2A37"))
        .contains(new DeviceTopic("monitor-1", "gatt", "2A37"));
    assertThat(DeviceTopic.parse("devices/m/commands/a/b"))
        .contains(new DeviceTopic("m", "commands", "a/b"));
  }

  @Test
  void refusesWhatIsNotADevicesTopic() {
    assertThat(DeviceTopic.parse("sensors/monitor-1/messages")).isEmpty();
    assertThat(DeviceTopic.parse("devices/monitor-1")).isEmpty();
    assertThat(DeviceTopic.parse("devices/monitor 1/messages")).isEmpty();
    assertThat(DeviceTopic.parse("devices//messages")).isEmpty();
    assertThat(DeviceTopic.parse("devices/+/messages")).isEmpty();
    assertThat(DeviceTopic.parse(null)).isEmpty();
  }

  @Test
  void aDeviceSubscribesToItsOwnCommandsOnly() {
    assertThat(DeviceTopic.maySubscribe("m1", "devices/m1/commands/#")).isTrue();
    assertThat(DeviceTopic.maySubscribe("m1", "devices/m1/commands/measure-now")).isTrue();
    assertThat(DeviceTopic.maySubscribe("m1", "devices/m1/commands")).isTrue();
    assertThat(DeviceTopic.maySubscribe("m1", "devices/m2/commands/#")).isFalse();
    assertThat(DeviceTopic.maySubscribe("m1", "devices/+/commands/#")).isFalse();
    assertThat(DeviceTopic.maySubscribe("m1", "devices/m1/#")).isFalse();
    assertThat(DeviceTopic.maySubscribe("m1", "devices/m1/commandsX")).isFalse();
    assertThat(DeviceTopic.maySubscribe("m1", "#")).isFalse();
  }
}
