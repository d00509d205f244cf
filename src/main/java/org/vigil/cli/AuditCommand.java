package org.vigil.cli;

import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.audit.AuditTrail;
import org.vigil.audit.AuditVerification;
import picocli.CommandLine.Command;

@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Work with the audit trail.",
    subcommands = AuditCommand.Verify.class)
final class AuditCommand extends CommandGroup {

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check that no audit event was altered, deleted or reordered: walks the whole hash chain"
              + " and names the first broken link. Exit code 0 when intact, 2 when broken.")
  static final class Verify extends AdminAction {
    @Override
    int run(ConfigurableApplicationContext context) {
      AuditVerification result = context.getBean(AuditTrail.class).verify();
      if (result.isIntact()) {
        System.out.println("audit trail intact: " + result.intactEvents() + " events");
        return 0;
      }
      System.out.println(
          "audit trail BROKEN at event "
              + result.firstBrokenEvent().orElseThrow()
              + ": "
              + result.problem().orElseThrow());
      System.out.println(
          "events 1 to " + result.intactEvents() + " are intact; nothing after that is proven");
      return 2;
    }
  }
}
