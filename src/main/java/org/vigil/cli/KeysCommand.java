package org.vigil.cli;

import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.privacy.TinkFieldCipher;
import picocli.CommandLine.Command;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage the keys that encrypt patient-identifying fields at rest.",
    subcommands = KeysCommand.Rotate.class)
final class KeysCommand extends CommandGroup {

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Add a new field encryption key and encrypt with it from now on (a running node picks it"
              + " up at its next start). Everything encrypted under older keys stays readable.")
  static final class Rotate extends AdminAction {
    @Override
    int run(ConfigurableApplicationContext context) {
      TinkFieldCipher cipher = context.getBean(TinkFieldCipher.class);
      int old = cipher.primaryKeyId();
      int fresh = cipher.rotate();
      System.out.println(
          "field encryption key rotated: key " + old + " -> new primary key " + fresh);
      return 0;
    }
  }
}
