package org.vigil.audit;

import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Records an administrative change — a device's or a person's credentials, an assignment — in the
 * audit trail, with whoever is making it: the caller of the current request, or the
 * operating-system user at the command line.
 */
@Component
public class ChangeAudit {

  private final AuditTrail trail;
  private final AuditAgents agents;

  public ChangeAudit(AuditTrail trail, AuditAgents agents) {
    this.trail = trail;
    this.agents = agents;
  }

  /**
   * @param category {@code device} or {@code account}
   * @param action {@code C}, {@code U} or {@code D}
   * @param what e.g. {@code rotate token of device monitor-1}
   * @param patients patients the change concerns, e.g. a device's new patient
   */
  public void changed(String category, String action, String what, Set<String> patients) {
    trail.record(
        new AuditEntry(
            category,
            action,
            AuditEntry.SUCCESS,
            agents.current(),
            patients,
            what,
            Optional.empty()));
  }
}
