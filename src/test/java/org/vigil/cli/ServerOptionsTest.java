package org.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the command line's node options turn into for Spring. */
class ServerOptionsTest {

  private static ServerOptions parse(String... args) {
    ServerOptions options = new ServerOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void iceServersAreNoneByDefault() {
    assertThat(parse().springArguments()).noneMatch(a -> a.contains("ice-servers"));
  }

  @Test
  void iceServersBecomeTheTelemedicineSetting() {
    assertThat(
            parse("--ice-servers", "stun:stun.example.org:3478,turn:turn.example.org:3478")
                .springArguments())
        .contains(
            "--vigil.telemedicine.ice-servers=stun:stun.example.org:3478,turn:turn.example.org:3478");
  }
}
