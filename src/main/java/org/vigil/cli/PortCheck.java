package org.vigil.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

/**
 * Checks before start-up that every port Vigil will listen on is free, so that a taken port is
 * reported in one line that names the option to change, not as a stack trace half-way through.
 */
final class PortCheck {

  record Listener(String option, int port) {}

  private PortCheck() {}

  /** The first listener whose port is invalid or taken, as a message for the operator. */
  static Optional<String> firstProblem(List<Listener> listeners) {
    for (Listener listener : listeners) {
      if (listener.port() < 1 || listener.port() > 65535) {
        return Optional.of(
            "vigil: "
                + listener.option()
                + " "
                + listener.port()
                + " is not a port number (1-65535)");
      }
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(listener.port()));
      } catch (IOException e) {
        return Optional.of(
            "vigil: port "
                + listener.port()
                + " is already in use; choose another with "
                + listener.option());
      }
    }
    return Optional.empty();
  }
}
