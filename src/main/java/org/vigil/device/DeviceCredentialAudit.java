package org.vigil.device;

import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;

/**
 * Puts every change to a device's credentials and assignment in the audit trail, with whoever made
 * it — an administrator through the API or at the command line.
 */
@Component
class DeviceCredentialAudit {

  private final AuditTrail trail;
  private final AuditAgents agents;

  DeviceCredentialAudit(AuditTrail trail, AuditAgents agents) {
    this.trail = trail;
    this.agents = agents;
  }

  void changed(String action, String what, Set<String> patients) {
    trail.record(
        new AuditEntry(
            "device",
            action,
            AuditEntry.SUCCESS,
            agents.current(),
            patients,
            what,
            Optional.empty()));
  }

  void changed(String action, String what) {
    changed(action, what, Set.of());
  }
}
