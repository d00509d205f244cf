package org.vigil.cli;

import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.security.CareTeams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "teams",
    mixinStandardHelpOptions = true,
    description = "Care teams: who looks after which patients, wherever they lie.",
    subcommands = {
      TeamsCommand.Create.class,
      TeamsCommand.AddMember.class,
      TeamsCommand.AddPatient.class,
      TeamsCommand.RemovePatient.class,
      TeamsCommand.ListTeams.class
    })
final class TeamsCommand extends CommandGroup {

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a care team, optionally with its members and patients.")
  static final class Create extends AdminAction {
    @Parameters(index = "0", description = "The team's id, e.g. heart-failure.")
    String id;

    @Option(names = "--name", description = "What people call it.")
    String name;

    @Option(names = "--member", split = ",", description = "Users in the team.")
    List<String> members = List.of();

    @Option(names = "--patient", split = ",", description = "Patients the team looks after.")
    List<String> patients = List.of();

    @Override
    int run(ConfigurableApplicationContext context) {
      CareTeams teams = context.getBean(CareTeams.class);
      teams.create(id, name);
      members.forEach(member -> teams.addMember(id, member));
      patients.forEach(patient -> teams.addPatient(id, patient));
      System.out.println(
          "care team "
              + id
              + " created: "
              + members.size()
              + " members, "
              + patients.size()
              + " patients");
      return 0;
    }
  }

  @Command(name = "add-member", mixinStandardHelpOptions = true, description = "Add a member.")
  static final class AddMember extends AdminAction {
    @Parameters(index = "0")
    String team;

    @Parameters(index = "1")
    String username;

    @Override
    int run(ConfigurableApplicationContext context) {
      context.getBean(CareTeams.class).addMember(team, username);
      System.out.println(username + " added to " + team);
      return 0;
    }
  }

  @Command(name = "add-patient", mixinStandardHelpOptions = true, description = "Add a patient.")
  static final class AddPatient extends AdminAction {
    @Parameters(index = "0")
    String team;

    @Parameters(index = "1")
    String patient;

    @Override
    int run(ConfigurableApplicationContext context) {
      context.getBean(CareTeams.class).addPatient(team, patient);
      System.out.println(patient + " added to " + team);
      return 0;
    }
  }

  @Command(
      name = "remove-patient",
      mixinStandardHelpOptions = true,
      description = "The team no longer looks after the patient.")
  static final class RemovePatient extends AdminAction {
    @Parameters(index = "0")
    String team;

    @Parameters(index = "1")
    String patient;

    @Override
    int run(ConfigurableApplicationContext context) {
      context.getBean(CareTeams.class).removePatient(team, patient);
      System.out.println(patient + " removed from " + team);
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List care teams.")
  static final class ListTeams extends AdminAction {
    @Override
    int run(ConfigurableApplicationContext context) {
      for (CareTeams.Team team : context.getBean(CareTeams.class).all()) {
        System.out.printf(
            "%-24s %s%n  members:  %s%n  patients: %s%n",
            team.id(),
            team.name(),
            String.join(", ", team.members()),
            String.join(", ", team.patients()));
      }
      return 0;
    }
  }
}
