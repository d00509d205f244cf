package org.vigil.cli;

import java.util.concurrent.Callable;
import org.vigil.Vigil;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(
    name = "version",
    mixinStandardHelpOptions = true,
    description = "Print Vigil's version and the Java runtime it runs on.")
final class VersionCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    for (String line : new Provider().getVersion()) {
      System.out.println(line);
    }
    return 0;
  }

  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Vigil.class.getPackage().getImplementationVersion();
      return new String[] {
        "Vigil " + (version == null ? "(development build)" : version),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
