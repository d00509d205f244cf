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

  /** A change to one team concerning one user or patient. */
  abstract static class TeamChange extends AdminAction {
    @Parameters(index = "0", description = "The team.")
    String team;

    @Parameters(index = "1", description = "The user or patient.")
    String who;

    @Override
    int run(ConfigurableApplicationContext context) {
      change(context.getBean(CareTeams.class));
      System.out.println(done());
      return 0;
    }

    abstract void change(CareTeams teams);

    abstract String done();
  }

  @Command(name = "add-member", mixinStandardHelpOptions = true, description = "Add a member.")
  static final class AddMember extends TeamChange {
    @Override
    void change(CareTeams teams) {
      teams.addMember(team, who);
    }

    @Override
    String done() {
      return who + " added to " + team;
    }
  }

  @Command(name = "add-patient", mixinStandardHelpOptions = true, description = "Add a patient.")
  static final class AddPatient extends TeamChange {
    @Override
    void change(CareTeams teams) {
      teams.addPatient(team, who);
    }

    @Override
    String done() {
      return who + " added to " + team;
    }
  }

  @Command(
      name = "remove-patient",
      mixinStandardHelpOptions = true,
      description = "The team no longer looks after the patient.")
  static final class RemovePatient extends TeamChange {
    @Override
    void change(CareTeams teams) {
      teams.removePatient(team, who);
    }

    @Override
    String done() {
      return who + " removed from " + team;
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
