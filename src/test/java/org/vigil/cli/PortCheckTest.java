package org.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortCheckTest {

  @Test
  void namesTheOptionToChangeWhenAPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();

      assertThat(PortCheck.firstProblem(List.of(new PortCheck.Listener("--mqtt-port", port))))
          .contains("vigil: port " + port + " is already in use; choose another with --mqtt-port");
    }
  }

  @Test
  void acceptsFreePortsAndRejectsImpossibleOnes() throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    assertThat(PortCheck.firstProblem(List.of(new PortCheck.Listener("--http-port", free))))
        .isEmpty();
    assertThat(PortCheck.firstProblem(List.of(new PortCheck.Listener("--http-port", 70000))))
        .contains("vigil: --http-port 70000 is not a port number (1-65535)");
  }
}
