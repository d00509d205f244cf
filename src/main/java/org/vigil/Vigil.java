package org.vigil;

import org.vigil.cli.VigilCommand;

/**
 * The {@code vigil} command: {@code ./vigil demo}, {@code ./vigil serve}, {@code ./vigil version}.
 */
public final class Vigil {

  private Vigil() {}

  public static void main(String[] args) {
    int exitCode = VigilCommand.commandLine().execute(args);
    System.exit(exitCode);
  }
}
