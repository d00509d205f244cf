package org.vigil.cli;

import java.util.Locale;
import java.util.Optional;
import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.patient.PatientRepository;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "Add people who sign in to Vigil, list them, disable them, reset passwords.",
    subcommands = {
      UsersCommand.Add.class,
      UsersCommand.ListUsers.class,
      UsersCommand.Disable.class,
      UsersCommand.Enable.class,
      UsersCommand.ResetPassword.class
    })
final class UsersCommand extends CommandGroup {

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add a user and print their password (shown this once).")
  static final class Add extends AdminAction {
    @Parameters(index = "0", description = "The name they sign in with.")
    String username;

    @Option(
        names = "--role",
        required = true,
        description = "admin, clinician, nurse, patient or integration.")
    String role;

    @Option(names = "--name", description = "How to address them.")
    String name;

    @Option(names = "--patient", description = "For a patient: their own record.")
    String patient;

    @Option(
        names = "--ward",
        split = ",",
        description = "For a nurse or clinician: the wards they work on (they see those patients).")
    java.util.List<String> wards = java.util.List.of();

    private Role parsed;

    @Override
    void validate() {
      try {
        parsed = Role.valueOf(role.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--role must be admin, clinician, nurse, patient or integration, not " + role);
      }
      if (parsed == Role.DEVICE) {
        throw new IllegalArgumentException("devices are registered with 'vigil devices register'");
      }
    }

    @Override
    int run(ConfigurableApplicationContext context) {
      if (patient != null && context.getBean(PatientRepository.class).find(patient).isEmpty()) {
        throw new IllegalArgumentException("no patient " + patient);
      }
      String password =
          context
              .getBean(UserAccounts.class)
              .add(
                  new UserAccount(
                      username,
                      parsed,
                      name == null ? username : name,
                      Optional.ofNullable(patient),
                      true));
      if (!wards.isEmpty()) {
        context.getBean(UserAccounts.class).setWards(username, java.util.Set.copyOf(wards));
      }
      System.out.println(
          "user "
              + username
              + " added as "
              + parsed.label()
              + (wards.isEmpty() ? "" : " on " + String.join(", ", wards)));
      System.out.println("password: " + password);
      System.out.println("(shown this once; 'vigil users reset-password' issues a new one)");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
  static final class ListUsers extends AdminAction {
    @Override
    int run(ConfigurableApplicationContext context) {
      System.out.printf(
          "%-24s %-12s %-14s %-8s %s%n", "USER", "ROLE", "PATIENT", "ENABLED", "NAME");
      for (UserAccount user : context.getBean(UserAccounts.class).all()) {
        System.out.printf(
            "%-24s %-12s %-14s %-8s %s%n",
            user.username(),
            user.role().label(),
            user.patientId().orElse("-"),
            user.enabled() ? "yes" : "no",
            user.displayName());
      }
      return 0;
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Stop a user from signing in; their history stays.")
  static final class Disable extends AdminAction {
    @Parameters(index = "0")
    String username;

    @Override
    int run(ConfigurableApplicationContext context) {
      context.getBean(UserAccounts.class).setEnabled(username, false);
      System.out.println("user " + username + " disabled");
      return 0;
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Let a user sign in again.")
  static final class Enable extends AdminAction {
    @Parameters(index = "0")
    String username;

    @Override
    int run(ConfigurableApplicationContext context) {
      context.getBean(UserAccounts.class).setEnabled(username, true);
      System.out.println("user " + username + " enabled");
      return 0;
    }
  }

  @Command(
      name = "reset-password",
      mixinStandardHelpOptions = true,
      description = "Give a user a new password (shown this once); the old one stops working.")
  static final class ResetPassword extends AdminAction {
    @Parameters(index = "0")
    String username;

    @Override
    int run(ConfigurableApplicationContext context) {
      String password = context.getBean(UserAccounts.class).resetPassword(username);
      System.out.println("new password for " + username + ": " + password);
      return 0;
    }
  }
}
