package org.vigil.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.security.ClientRegistry;
import org.vigil.security.SmartScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "clients",
    mixinStandardHelpOptions = true,
    description = "Add systems that call Vigil's APIs (OAuth2 clients), list and revoke them.",
    subcommands = {
      ClientsCommand.Add.class,
      ClientsCommand.ListClients.class,
      ClientsCommand.Revoke.class
    })
final class ClientsCommand extends CommandGroup {

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add a client and print its secret (shown this once).")
  static final class Add extends AdminAction {
    @Parameters(index = "0", description = "The client id.")
    String clientId;

    @Option(
        names = "--scope",
        required = true,
        split = ",",
        description =
            "SMART scopes it may ask for, e.g. system/Observation.rs,system/Device.cruds.")
    List<String> scopes;

    @Option(names = "--description", description = "What the system is.")
    String description;

    private final Set<String> granted = new LinkedHashSet<>();

    @Override
    void validate() {
      for (String scope : scopes) {
        if (SmartScope.parse(scope).isEmpty()) {
          throw new IllegalArgumentException(
              "not a SMART scope: " + scope + " (e.g. system/Observation.rs)");
        }
        granted.add(scope);
      }
    }

    @Override
    int run(ConfigurableApplicationContext context) {
      ClientRegistry clients = context.getBean(ClientRegistry.class);
      if (clients.exists(clientId)) {
        throw new IllegalArgumentException("client " + clientId + " already exists");
      }
      String secret = clients.register(clientId, granted, description == null ? "" : description);
      System.out.println("client " + clientId + " added with " + String.join(" ", granted));
      System.out.println("secret: " + secret);
      System.out.println("(shown this once)");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List clients.")
  static final class ListClients extends AdminAction {
    @Override
    int run(ConfigurableApplicationContext context) {
      System.out.printf("%-28s %-8s %s%n", "CLIENT", "ACTIVE", "SCOPES");
      for (ClientRegistry.Client client : context.getBean(ClientRegistry.class).all()) {
        System.out.printf(
            "%-28s %-8s %s%n",
            client.clientId(),
            client.revokedAt().isEmpty() ? "yes" : "no",
            String.join(" ", client.scopes()));
      }
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a client: it gets no new tokens.")
  static final class Revoke extends AdminAction {
    @Parameters(index = "0")
    String clientId;

    @Override
    int run(ConfigurableApplicationContext context) {
      context.getBean(ClientRegistry.class).revoke(clientId);
      System.out.println("client " + clientId + " revoked");
      return 0;
    }
  }
}
