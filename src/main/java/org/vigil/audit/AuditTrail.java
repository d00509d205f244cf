package org.vigil.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail: records events in a hash chain and reads them back. Appending takes the chain's
 * head row with a row lock, so nodes sharing a database extend one chain without forking it.
 */
@Service
public class AuditTrail {

  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
  private static final String COLUMNS =
      "id, recorded_at, category, action, outcome, agent_type, agent_id, agent_client,"
          + " source_address, what, detail, previous_hash, hash";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final Counter failures;
  // Appends on this node wait here rather than in the database's lock queue.
  private final ReentrantLock appending = new ReentrantLock();

  @org.springframework.beans.factory.annotation.Autowired
  public AuditTrail(JdbcTemplate jdbc, TransactionTemplate transaction, MeterRegistry meters) {
    this(jdbc, transaction, meters, Clock.systemUTC());
  }

  AuditTrail(
      JdbcTemplate jdbc, TransactionTemplate transaction, MeterRegistry meters, Clock clock) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.clock = clock;
    this.failures =
        Counter.builder("vigil.audit.failures")
            .description("Audit events that could not be recorded")
            .register(meters);
  }

  /** Appends the event to the chain, durably, before returning it. */
  public AuditEvent record(AuditEntry entry) {
    appending.lock();
    try {
      return transaction.execute(status -> {
        var head =
            jdbc.queryForMap(
                "select last_id, last_hash from audit_chain_head where id = 1 for update");
        long id = ((Number) head.get("last_id")).longValue() + 1;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        AuditEvent event = AuditEvent.chained(id, now, entry, (String) head.get("last_hash"));
        AuditAgent agent = entry.agent();
        jdbc.update(
            "insert into audit_event ("
                + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id,
            OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
            entry.category(),
            entry.action(),
            entry.outcome(),
            agent.type(),
            agent.id(),
            agent.client().orElse(null),
            agent.address().orElse(null),
            entry.what(),
            entry.detail().orElse(null),
            event.previousHash(),
            event.hash());
        for (String patient : entry.patients()) {
          jdbc.update(
              "insert into audit_event_patient (event_id, patient_id) values (?, ?)", id, patient);
        }
        jdbc.update(
            "update audit_chain_head set last_id = ?, last_hash = ? where id = 1",
            id,
            event.hash());
        return event;
      });
    } catch (RuntimeException e) {
      failures.increment();
      log.error(
          "Could not record an audit event ({} by {}): {}",
          entry.category(),
          entry.agent().type(),
          e.toString());
      throw e;
    } finally {
      appending.unlock();
    }
  }

  /** Events, newest first, that match the query. */
  public List<AuditEvent> search(AuditQuery query) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("select " + COLUMNS + " from audit_event e where 1 = 1");
    query
        .patientId()
        .ifPresent(patient -> {
          sql.append(
              " and exists (select 1 from audit_event_patient p where p.event_id = e.id"
                  + " and p.patient_id = ?)");
          args.add(patient);
        });
    query
        .agentId()
        .ifPresent(agent -> {
          sql.append(" and agent_id = ?");
          args.add(agent);
        });
    query
        .from()
        .ifPresent(from -> {
          sql.append(" and recorded_at >= ?");
          args.add(OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        });
    query
        .to()
        .ifPresent(to -> {
          sql.append(" and recorded_at <= ?");
          args.add(OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        });
    sql.append(" order by id desc limit ? offset ?");
    args.add(query.limit());
    args.add(query.offset());
    return withPatients(jdbc.query(sql.toString(), AuditTrail::row, args.toArray()));
  }

  public Optional<AuditEvent> find(long id) {
    return withPatients(
            jdbc.query("select " + COLUMNS + " from audit_event where id = ?", AuditTrail::row, id))
        .stream()
        .findFirst();
  }

  /**
   * Checks the whole chain, oldest first, a page at a time: every event present (ids without gaps),
   * each linked to the one before, each unaltered, and the newest one the head names.
   */
  public AuditVerification verify() {
    var head = jdbc.queryForMap("select last_id, last_hash from audit_chain_head where id = 1");
    long headId = ((Number) head.get("last_id")).longValue();
    String headHash = (String) head.get("last_hash");
    long expectedId = 1;
    String previousHash = AuditEvent.GENESIS;
    int page = 5000;
    while (true) {
      List<AuditEvent> events =
          withPatients(
              jdbc.query(
                  "select " + COLUMNS + " from audit_event where id >= ? order by id limit ?",
                  AuditTrail::row,
                  expectedId,
                  page));
      for (AuditEvent event : events) {
        if (event.id() != expectedId) {
          return AuditVerification.broken(
              expectedId - 1,
              expectedId,
              "event "
                  + expectedId
                  + (event.id() == expectedId + 1 ? " is" : " onwards are")
                  + " missing (deleted?); the next one present is "
                  + event.id());
        }
        if (!event.previousHash().equals(previousHash)) {
          return AuditVerification.broken(
              expectedId - 1,
              event.id(),
              "event "
                  + event.id()
                  + " does not follow event "
                  + (event.id() - 1)
                  + ": its link to the previous event was changed");
        }
        if (!event.isIntact()) {
          return AuditVerification.broken(
              expectedId - 1,
              event.id(),
              "event " + event.id() + " was altered: its content does not match its hash");
        }
        previousHash = event.hash();
        expectedId++;
      }
      if (events.size() < page) {
        break;
      }
    }
    long last = expectedId - 1;
    if (last != headId || !previousHash.equals(headHash)) {
      return AuditVerification.broken(
          last,
          last + 1,
          last < headId
              ? "events " + (last + 1) + " to " + headId + " are missing (deleted?)"
              : "the chain head does not name event " + last + " as the newest");
    }
    return AuditVerification.intact(last);
  }

  private List<AuditEvent> withPatients(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return events;
    }
    long min = events.stream().mapToLong(AuditEvent::id).min().orElseThrow();
    long max = events.stream().mapToLong(AuditEvent::id).max().orElseThrow();
    Map<Long, Set<String>> patients = new HashMap<>();
    jdbc.query(
        "select event_id, patient_id from audit_event_patient where event_id between ? and ?",
        rs -> {
          patients.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getString(2));
        },
        min,
        max);
    return events.stream()
        .map(e -> {
          Set<String> touched = patients.getOrDefault(e.id(), Set.of());
          AuditEntry entry = e.entry();
          return new AuditEvent(
              e.id(),
              e.recordedAt(),
              new AuditEntry(
                  entry.category(),
                  entry.action(),
                  entry.outcome(),
                  entry.agent(),
                  touched,
                  entry.what(),
                  entry.detail()),
              e.previousHash(),
              e.hash());
        })
        .toList();
  }

  private static AuditEvent row(ResultSet rs, int row) throws SQLException {
    AuditAgent agent =
        new AuditAgent(
            rs.getString("agent_type"),
            rs.getString("agent_id"),
            Optional.ofNullable(rs.getString("agent_client")),
            Optional.ofNullable(rs.getString("source_address")));
    AuditEntry entry =
        new AuditEntry(
            rs.getString("category"),
            rs.getString("action"),
            rs.getInt("outcome"),
            agent,
            Set.of(),
            rs.getString("what"),
            Optional.ofNullable(rs.getString("detail")));
    return new AuditEvent(
        rs.getLong("id"),
        rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
        entry,
        rs.getString("previous_hash"),
        rs.getString("hash"));
  }
}
