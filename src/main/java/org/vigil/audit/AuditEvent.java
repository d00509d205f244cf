package org.vigil.audit;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import tools.jackson.databind.json.JsonMapper;

/**
 * One event of the audit trail, in its place in the chain.
 *
 * @param id its position: events are numbered 1, 2, 3… without gaps
 * @param recordedAt when
 * @param entry what happened
 * @param previousHash the hash of the event before it (all zeros for the first)
 * @param hash SHA-256 of the previous hash and this event's content
 */
public record AuditEvent(
    long id, Instant recordedAt, AuditEntry entry, String previousHash, String hash) {

  static final String GENESIS = "0".repeat(64);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public AuditEvent {
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(hash, "hash");
  }

  /** The event with its hash computed from its content and the previous hash. */
  static AuditEvent chained(long id, Instant recordedAt, AuditEntry entry, String previousHash) {
    return new AuditEvent(
        id, recordedAt, entry, previousHash, hashOf(id, recordedAt, entry, previousHash));
  }

  /** Whether the stored hash is the one the content gives: false means the event was altered. */
  boolean isIntact() {
    return hash.equals(hashOf(id, recordedAt, entry, previousHash));
  }

  /**
   * The hash covers every stored field. The content is written as a JSON array, so no field's text
   * can be shifted into another's; patients are sorted, so their order in the database does not
   * matter.
   */
  static String hashOf(long id, Instant recordedAt, AuditEntry entry, String previousHash) {
    AuditAgent agent = entry.agent();
    List<Object> content =
        List.of(
            previousHash,
            id,
            recordedAt.toEpochMilli(),
            entry.category(),
            entry.action(),
            entry.outcome(),
            agent.type(),
            agent.id(),
            agent.client().orElse(""),
            agent.address().orElse(""),
            List.copyOf(new TreeSet<>(entry.patients())),
            entry.what(),
            entry.detail().orElse(""));
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(JSON.writeValueAsBytes(content));
      return HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
