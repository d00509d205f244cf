package org.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Vigil: medical devices in, HL7 FHIR R4 out, watched in real time.",
      "",
      "Start with 'vigil demo' for a simulated ward, or 'vigil serve' for a real one."
    },
    subcommands = {
      DemoCommand.class,
      ServeCommand.class,
      DevicesCommand.class,
      TemplatesCommand.class,
      UsersCommand.class,
      ClientsCommand.class,
      AuditCommand.class,
      KeysCommand.class,
      TeamsCommand.class,
      SimulateCommand.class,
      BenchCommand.class,
      VersionCommand.class
    })
public final class VigilCommand implements Runnable {

  @Spec CommandSpec spec;

  public static CommandLine commandLine() {
    return new CommandLine(new VigilCommand()).setUsageHelpAutoWidth(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
