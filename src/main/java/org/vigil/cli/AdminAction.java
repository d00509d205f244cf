package org.vigil.cli;

import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Mixin;

/**
 * An administrative command run against the node's registries and database (also while the node
 * runs); errors become one line and exit code 1.
 */
abstract class AdminAction implements Callable<Integer> {
  @Mixin StorageOptions storage = new StorageOptions();

  @Override
  public Integer call() {
    try {
      validate();
    } catch (IllegalArgumentException e) {
      System.err.println("vigil: " + e.getMessage());
      return 1;
    }
    try (ConfigurableApplicationContext context = AdminContext.open(storage)) {
      return run(context);
    } catch (RuntimeException e) {
      System.err.println("vigil: " + e.getMessage());
      return 1;
    }
  }

  /** Checks the arguments before anything is opened, so that a mistake is reported at once. */
  void validate() {}

  abstract int run(ConfigurableApplicationContext context) throws RuntimeException;
}
