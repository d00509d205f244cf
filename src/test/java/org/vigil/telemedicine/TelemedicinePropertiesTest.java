package org.vigil.telemedicine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The STUN/TURN servers as the browsers get them, and what is refused at start-up. */
class TelemedicinePropertiesTest {

  @Test
  void turnServersGetTheirCredentialsAndStunServersNone() {
    TelemedicineProperties settings =
        new TelemedicineProperties(
            List.of("stun:stun.example.org:3478", "turn:turn.example.org:3478?transport=udp"),
            "vigil",
            "s3cret",
            Duration.ofMinutes(15),
            Duration.ofMinutes(2),
            Duration.ofMinutes(15),
            Duration.ofMinutes(30));
    var servers = settings.browserIceServers();
    assertThat(servers.get(0).username()).isEmpty();
    assertThat(servers.get(1).username()).contains("vigil");
    assertThat(servers.get(1).credential()).contains("s3cret");
    assertThat(settings.toString()).doesNotContain("s3cret");
  }

  @Test
  void anIceServerThatIsNoStunOrTurnUrlIsRefused() {
    assertThatThrownBy(() ->
            new TelemedicineProperties(
                List.of("https://stun.example.org"),
                "",
                "",
                Duration.ofMinutes(15),
                Duration.ofMinutes(2),
                Duration.ofMinutes(15),
                Duration.ofMinutes(30)))
        .hasMessageContaining("vigil.telemedicine.ice-servers");
  }
}
