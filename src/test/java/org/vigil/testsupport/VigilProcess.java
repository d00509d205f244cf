package org.vigil.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Vigil started the way its users start it — the {@code ./vigil} launcher in the repository root —
 * as a child process, so tests can kill it like a power cut would. Output goes to a log file under
 * {@code target/} for post-mortems.
 */
public final class VigilProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final VigilApi api;

  private VigilProcess(Process process, Path log, int httpPort) {
    this.process = process;
    this.log = log;
    this.api = VigilApi.onPort(httpPort);
  }

  /** The repository root: where Maven runs the tests from. */
  public static Path repositoryRoot() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath();
  }

  /** Runs {@code ./vigil} with the arguments and waits for it to finish. */
  public static Result run(Duration timeout, String... args) {
    return run(timeout, List.of(), args);
  }

  public static Result run(Duration timeout, List<String> environment, String... args) {
    return run(repositoryRoot().resolve("vigil"), timeout, environment, args);
  }

  /** Runs a launcher script (this repository's or a copy) and waits for it to finish. */
  public static Result run(
      Path launcher, Duration timeout, List<String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    try {
      Path stdout = Files.createTempFile("vigil-out", ".txt");
      Path stderr = Files.createTempFile("vigil-err", ".txt");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(launcher.getParent().toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      for (String variable : environment) {
        int eq = variable.indexOf('=');
        builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
      }
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(launcher + " " + String.join(" ", args) + " hung");
      }
      Result result =
          new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
      Files.delete(stdout);
      Files.delete(stderr);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What a finished {@code ./vigil} printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Starts {@code ./vigil} with the arguments in the background. Listeners the arguments do not
   * place get free ports: tests never use the default ports (1883 may be a real Mosquitto).
   */
  public static VigilProcess start(String name, int httpPort, String... args) {
    List<String> command = new ArrayList<>();
    command.add(repositoryRoot().resolve("vigil").toString());
    command.addAll(List.of(args));
    for (String option : List.of("--https-port", "--mqtt-port", "--mqtts-port", "--mllp-port")) {
      if (!command.contains(option)) {
        command.add(option);
        command.add(String.valueOf(freePort()));
      }
    }
    try {
      Path log =
          repositoryRoot().resolve("target/it-logs/" + name + "-" + System.nanoTime() + ".log");
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .directory(repositoryRoot().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new VigilProcess(process, log, httpPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public VigilApi api() {
    return api;
  }

  /** Waits until the node reports itself ready, or fails with the log's tail. */
  public VigilProcess awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Vigil exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpResponse<String> health = api.get("/actuator/health/readiness", null);
        if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
          return this;
        }
      } catch (IllegalStateException notYetListening) {
        // keep waiting
      }
      pause(Duration.ofMillis(250));
    }
    throw new IllegalStateException("Vigil was not ready within " + timeout + ":\n" + tail());
  }

  /** kill -9: no shutdown hook, no flush, no goodbye. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(30));
  }

  /** A polite stop (SIGTERM), as an operator or a service manager would. */
  public int stop(Duration timeout) {
    process.destroy();
    return waitForExit(timeout);
  }

  private int waitForExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("Vigil did not stop within " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** A port nothing listens on right now. */
  /**
   * A port free now, for a listener a test starts later. Not one the system would pick (port 0):
   * those come from the ephemeral range (32768–60999 on Linux), from which every outgoing
   * connection takes its local port too, so one could take it before the listener binds — it
   * happened to a node started by a bench test. These come from below that range, each handed out
   * once per test run.
   */
  public static int freePort() {
    for (int tried = 0; tried < PORTS_BELOW_EPHEMERAL; tried++) {
      int port = LOWEST_PORT + Math.floorMod(nextPort.getAndIncrement(), PORTS_BELOW_EPHEMERAL);
      try (ServerSocket socket = new ServerSocket(port)) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // in use: the next
      }
    }
    throw new IllegalStateException("no free port between " + LOWEST_PORT + " and 32767");
  }

  private static final int LOWEST_PORT = 20_000;
  private static final int PORTS_BELOW_EPHEMERAL = 32_768 - LOWEST_PORT;

  // Where the next search starts: shared by the whole test run so that no port is handed out
  // twice, from a random start so that two runs on one machine rarely meet.
  private static final java.util.concurrent.atomic.AtomicInteger nextPort =
      new java.util.concurrent.atomic.AtomicInteger(
          java.util.concurrent.ThreadLocalRandom.current().nextInt(PORTS_BELOW_EPHEMERAL));

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
