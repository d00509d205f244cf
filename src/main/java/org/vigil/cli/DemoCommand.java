package org.vigil.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run Vigil with a simulated ward: patients with bedside monitors and temperature patches",
      "streaming vital signs once a second through the real ingest API. Credentials for the",
      "demo's users, integration client and devices are written to",
      "<data-dir>/demo-credentials.json; a restart on the same data directory keeps them."
    })
final class DemoCommand implements Callable<Integer> {

  @Mixin ServerOptions server = new ServerOptions();

  @Option(
      names = "--patients",
      defaultValue = "12",
      description = "Simulated patients on the ward (default: ${DEFAULT-VALUE}).")
  int patients;

  @Override
  public Integer call() {
    if (patients < 1 || patients > 5000) {
      System.err.println("vigil: --patients must be between 1 and 5000");
      return 2;
    }
    return NodeRunner.run(
        server, List.of("--vigil.demo.enabled=true", "--vigil.demo.patients=" + patients));
  }
}
