package org.vigil.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * Who did something: a user, a system client, a device, or an administrator at the node's own
 * command line.
 *
 * @param type {@code user}, {@code client}, {@code device}, {@code local} (the command line) or
 *     {@code anonymous} (a request that never authenticated)
 * @param id the user name, client id, device id or operating-system user
 * @param client the OAuth2 client the user acted through, if any
 * @param address the network address the request came from, if any
 */
public record AuditAgent(
    String type, String id, Optional<String> client, Optional<String> address) {

  public AuditAgent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(address, "address");
  }

  public static AuditAgent local() {
    return new AuditAgent(
        "local", System.getProperty("user.name", "unknown"), Optional.empty(), Optional.empty());
  }
}
