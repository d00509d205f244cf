package org.vigil.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.normalize.template.TemplateTester;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "templates",
    mixinStandardHelpOptions = true,
    description = "Work with mapping templates for proprietary device JSON.",
    subcommands = {TemplatesCommand.Test.class})
final class TemplatesCommand extends CommandGroup {

  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description =
          "Show what a payload becomes under a template — each reading as read and as stored — or"
              + " exactly what is wrong. Exit code 0 when it reads, 1 when it does not.")
  static final class Test implements Callable<Integer> {
    @Parameters(index = "0", description = "The template (JSON or YAML).")
    Path template;

    @Parameters(index = "1", description = "A payload as the device sends it.")
    Path payload;

    @Override
    public Integer call() throws Exception {
      TemplateTester.Report report =
          new TemplateTester(MeasurementCatalog.standard())
              .test(Files.readString(template), Files.readAllBytes(payload), Instant.now());
      (report.ok() ? System.out : System.err).println(report.text());
      return report.ok() ? 0 : 1;
    }
  }
}
