package org.vigil.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Vigil node: devices connect to it, clinicians and systems read from it.",
      "Embedded by default (H2 database under --data-dir); PostgreSQL with --db-url."
    })
final class ServeCommand implements Callable<Integer> {

  @Mixin ServerOptions server = new ServerOptions();

  @Override
  public Integer call() {
    return NodeRunner.run(server, List.of());
  }
}
