package org.vigil.cli;

import java.util.stream.Collectors;
import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.privacy.FieldReencryption;
import org.vigil.privacy.TinkFieldCipher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage the keys that encrypt person-identifying fields at rest.",
    subcommands = {KeysCommand.Rotate.class, KeysCommand.Reencrypt.class})
final class KeysCommand extends CommandGroup {

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Add a new field encryption key, encrypt with it from now on (a running node notices),"
              + " and re-encrypt every stored field under it. Older keys stay in the keyset, so"
              + " whatever is still under them stays readable.")
  static final class Rotate extends AdminAction {
    @Option(
        names = "--no-reencrypt",
        description = "Only add the key; run 'vigil keys reencrypt' later to move stored fields.")
    boolean noReencrypt;

    @Override
    int run(ConfigurableApplicationContext context) {
      TinkFieldCipher cipher = context.getBean(TinkFieldCipher.class);
      int old = cipher.primaryKeyId();
      int fresh = cipher.rotate();
      System.out.println(
          "field encryption key rotated: key " + old + " -> new primary key " + fresh);
      if (!noReencrypt) {
        Reencrypt.sweep(context, fresh);
      }
      return 0;
    }
  }

  @Command(
      name = "reencrypt",
      mixinStandardHelpOptions = true,
      description =
          "Re-encrypt every stored field that is under an older key with the current primary key,"
              + " in batches, also while the node runs. Running it again rewrites nothing.")
  static final class Reencrypt extends AdminAction {
    @Option(
        names = "--batch-size",
        defaultValue = "500",
        description = "Records read and written at a time (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    void validate() {
      if (batchSize < 1) {
        throw new IllegalArgumentException("--batch-size must be at least 1, was " + batchSize);
      }
    }

    @Override
    int run(ConfigurableApplicationContext context) {
      sweep(context, context.getBean(TinkFieldCipher.class).primaryKeyId(), batchSize);
      return 0;
    }

    static void sweep(ConfigurableApplicationContext context, int keyId) {
      sweep(context, keyId, FieldReencryption.BATCH);
    }

    private static void sweep(ConfigurableApplicationContext context, int keyId, int batchSize) {
      FieldReencryption.Report report = context.getBean(FieldReencryption.class).run(batchSize);
      System.out.println(
          "re-encrypted under key "
              + keyId
              + ": "
              + report.rewritten()
              + " rows rewritten ("
              + report.counts().stream()
                  .map(c -> c.rewritten() + " of " + c.read() + " " + c.kind())
                  .collect(Collectors.joining(", "))
              + ")");
    }
  }
}
