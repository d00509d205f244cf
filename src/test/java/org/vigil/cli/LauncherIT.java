package org.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilProcess;

/** The {@code ./vigil} launcher, as a user meets it. */
class LauncherIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path temp;

  @Test
  void printsItsVersion() {
    VigilProcess.Result result = VigilProcess.run(TIMEOUT, "version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).startsWith("Vigil ").contains("Java ");
  }

  @Test
  void everySubcommandExplainsItself() {
    for (String command : List.of("demo", "serve", "version")) {
      VigilProcess.Result help = VigilProcess.run(TIMEOUT, command, "--help");
      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.stdout()).as(command).contains("Usage: vigil " + command);
    }
    assertThat(VigilProcess.run(TIMEOUT, "demo", "--help").stdout())
        .contains(
            "--http-port",
            "--mqtt-port",
            "--mqtts-port",
            "--mllp-port",
            "--data-dir",
            "--db-url",
            "--patients",
            "--log-format");
  }

  @Test
  void aTakenPortFailsFastWithOneLineNamingTheOption() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      VigilProcess.Result result =
          VigilProcess.run(
              TIMEOUT, "serve", "--http-port", String.valueOf(port), "--data-dir", temp.toString());

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.stderr().strip())
          .isEqualTo("vigil: port " + port + " is already in use; choose another with --http-port");
      assertThat(result.stdout()).isEmpty();
    }
  }

  @Test
  void findsAJdk21OrLaterWhenJavaHomeIsTooOld() throws Exception {
    Path oldJdk = temp.resolve("jdk-17");
    script(
        oldJdk.resolve("bin/java"),
        "echo 'openjdk version \"17.0.15\" 2025-04-15' >&2; echo 'old java ran' ; exit 3");
    script(oldJdk.resolve("bin/javac"), "exit 0");

    VigilProcess.Result result =
        VigilProcess.run(TIMEOUT, List.of("JAVA_HOME=" + oldJdk), "version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).doesNotContain("old java ran");
    int major = Integer.parseInt(result.stdout().replaceAll("(?s).*Java (\\d+).*", "$1"));
    assertThat(major).isGreaterThanOrEqualTo(21);
  }

  @Test
  void logsStructuredJsonWhenAsked() {
    int http = VigilProcess.freePort();
    String output;
    try (VigilProcess vigil =
        VigilProcess.start(
            "json-logs",
            http,
            "serve",
            "--log-format",
            "json",
            "--http-port",
            String.valueOf(http),
            "--data-dir",
            temp.toString())) {
      vigil.awaitReady(Duration.ofSeconds(180));
      vigil.stop(Duration.ofSeconds(30));
      output = vigil.output();
    }
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      var json = VigilApi.json(line); // every line is one JSON object
      assertThat(json.has("@timestamp")).as(line).isTrue();
    }
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("Started Vigil"));
  }

  /**
   * The build step, on a copy of the launcher beside a stand-in for the Maven wrapper that records
   * each build and produces the real jar: built when missing, not rebuilt when fresh, rebuilt when
   * a source is newer, and a failed build reported with the end of its log.
   */
  @Test
  void buildsTheJarWhenMissingOrOlderThanTheSources() throws Exception {
    Path repo = temp.resolve("repo");
    Files.createDirectories(repo.resolve("src/main/java"));
    Files.createDirectories(repo.resolve(".mvn"));
    Files.writeString(repo.resolve("pom.xml"), "<project/>");
    Path source = repo.resolve("src/main/java/Ward.java");
    Files.writeString(source, "class Ward {}");
    Files.copy(VigilProcess.repositoryRoot().resolve("vigil"), repo.resolve("vigil"));
    Path realJar = VigilProcess.repositoryRoot().resolve("target/vigil.jar");
    Path builds = repo.resolve("builds.txt");
    script(
        repo.resolve("mvnw"),
        "echo build >> '"
            + builds
            + "'\n"
            + "[ -f fail ] && { echo 'COMPILATION ERROR: Ward.java'; exit 1; }\n"
            + "mkdir -p target && cp '"
            + realJar
            + "' target/vigil.jar");
    Path launcher = repo.resolve("vigil");

    VigilProcess.Result first = VigilProcess.run(launcher, TIMEOUT, List.of(), "version");
    assertThat(first.exitCode()).isZero();
    assertThat(first.stderr()).contains("vigil: building Vigil");
    assertThat(first.stdout()).startsWith("Vigil ");
    assertThat(Files.readAllLines(builds)).hasSize(1);

    VigilProcess.Result second = VigilProcess.run(launcher, TIMEOUT, List.of(), "version");
    assertThat(second.stderr()).doesNotContain("building");
    assertThat(Files.readAllLines(builds)).hasSize(1);

    Files.setLastModifiedTime(
        source, FileTime.from(Instant.now().plusSeconds(5))); // edited after the build
    VigilProcess.run(launcher, TIMEOUT, List.of(), "version");
    assertThat(Files.readAllLines(builds)).hasSize(2);

    Files.writeString(repo.resolve("fail"), "");
    Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(60)));
    VigilProcess.Result failed = VigilProcess.run(launcher, TIMEOUT, List.of(), "version");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.stderr()).contains("vigil: the build failed", "COMPILATION ERROR: Ward.java");
    assertThat(repo.resolve("target/vigil-build.log")).exists();
  }

  private static void script(Path file, String body) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
