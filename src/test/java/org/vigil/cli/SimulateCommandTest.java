package org.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code vigil simulate} says about input it cannot play, before it sends anything. */
class SimulateCommandTest {

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private Run simulate(String... args) throws Exception {
    Path credentials = dir.resolve("credentials.json");
    Files.writeString(
        credentials,
        """
        {"devices": [
          {"deviceId": "monitor-004", "token": "t", "patientId": "patient-004", "type": "bedside-monitor"},
          {"deviceId": "temp-004", "token": "t", "patientId": "patient-004", "type": "temperature-patch"},
          {"deviceId": "monitor-001", "token": "t", "patientId": "patient-001", "type": "bedside-monitor"},
          {"deviceId": "temp-001", "token": "t", "patientId": "patient-001", "type": "temperature-patch"},
          {"deviceId": "monitor-002", "token": "t", "patientId": "patient-002", "type": "bedside-monitor"},
          {"deviceId": "temp-002", "token": "t", "patientId": "patient-002", "type": "temperature-patch"},
          {"deviceId": "monitor-003", "token": "t", "patientId": "patient-003", "type": "bedside-monitor"},
          {"deviceId": "temp-003", "token": "t", "patientId": "patient-003", "type": "temperature-patch"}]}
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = VigilCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 3];
    all[0] = "simulate";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--credentials";
    all[args.length + 2] = credentials.toString();
    int exit = command.execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void aStartThatWouldDateReadingsInTheFutureIsRefusedBeforeAnythingIsSent() throws Exception {
    Run run =
        simulate(
            "small-ward",
            "--target",
            "http://127.0.0.1:1",
            "--mqtt",
            "tcp://127.0.0.1:1",
            "--speed",
            "1440",
            "--start",
            Instant.now().toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("the last readings would be dated PT23H")
        .contains("Vigil refuses readings more than PT5M ahead; start earlier");
  }

  @Test
  void devicesOnMqttNeedABroker() throws Exception {
    Run run = simulate("small-ward", "--target", "http://127.0.0.1:1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("vigil: devices talk MQTT: give --mqtt tcp://host:port");
  }

  @Test
  void badOptionsAreNamed() throws Exception {
    assertThat(simulate("small-ward", "--transport", "coap").err())
        .contains("vigil: --transport: no transport coap; known: http, mqtt, mllp");
    assertThat(
            simulate(
                    "small-ward",
                    "--target",
                    "http://x",
                    "--transport",
                    "http",
                    "--interval",
                    "pulse=PT1S")
                .err())
        .contains("vigil: --interval pulse: no such vital; known: heartRate,");
    assertThat(
            simulate("small-ward", "--target", "http://x", "--transport", "http", "--speed", "0")
                .err())
        .contains("vigil: --speed: must be a positive number");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"name\": \"b\", \"duration\": \"PT1H\", \"patients\": [}");
    Run run = simulate(broken.toString(), "--target", "http://x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("vigil: " + broken + ": ");
  }
}
