package org.vigil.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The dead-letter store: every message no codec or template could read, or that had no patient to
 * go to. Payloads are kept up to the ingest size limit, so anything that was accepted for reading
 * can be replayed; larger ones keep their first bytes for diagnosis.
 */
@Service
public class DeadLetters {

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  static final int TRUNCATED_BYTES = 4096;

  private final JdbcTemplate jdbc;
  private final IngestProperties limits;
  private final Counter recorded;
  private final Clock clock = Clock.systemUTC();

  DeadLetters(JdbcTemplate jdbc, IngestProperties limits, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.limits = limits;
    this.recorded =
        Counter.builder("vigil.ingest.dead.letters")
            .description("Messages put in the dead-letter store")
            .register(meters);
  }

  /** Keeps a message that could not be read. Never throws: a failure here is logged. */
  public void record(
      String deviceId,
      String transport,
      String content,
      byte[] payload,
      Instant receivedAt,
      String reason) {
    boolean truncated = payload.length > limits.maxPayloadBytes();
    byte[] kept = truncated ? Arrays.copyOf(payload, TRUNCATED_BYTES) : payload;
    try {
      jdbc.update(
          "insert into dead_letter (device_id, transport, content, received_at, reason, payload,"
              + " payload_size, truncated) values (?, ?, ?, ?, ?, ?, ?, ?)",
          deviceId,
          transport,
          content,
          utc(receivedAt),
          limit(reason, 4000),
          kept,
          payload.length,
          truncated);
      recorded.increment();
    } catch (RuntimeException e) {
      log.error(
          "Could not keep a dead letter from {} over {} ({} bytes): {}",
          deviceId,
          transport,
          payload.length,
          e.toString());
    }
  }

  public List<DeadLetter> list(Optional<String> deviceId, int offset, int limit) {
    String where = deviceId.isPresent() ? " where device_id = ?" : "";
    Object[] args =
        deviceId.isPresent()
            ? new Object[] {deviceId.get(), limit, offset}
            : new Object[] {limit, offset};
    return jdbc.query(
        "select id, device_id, transport, content, received_at, reason, payload_size, truncated,"
            + " replayed_at, replay_outcome from dead_letter"
            + where
            + " order by id desc limit ? offset ?",
        DeadLetters::deadLetter,
        args);
  }

  public long count() {
    Long count = jdbc.queryForObject("select count(*) from dead_letter", Long.class);
    return count == null ? 0 : count;
  }

  public Optional<DeadLetter> find(long id) {
    return jdbc
        .query(
            "select id, device_id, transport, content, received_at, reason, payload_size,"
                + " truncated, replayed_at, replay_outcome from dead_letter where id = ?",
            DeadLetters::deadLetter,
            id)
        .stream()
        .findFirst();
  }

  public Optional<byte[]> payload(long id) {
    return jdbc
        .queryForList("select payload from dead_letter where id = ?", byte[].class, id)
        .stream()
        .findFirst();
  }

  void markReplayed(long id, String outcome) {
    jdbc.update(
        "update dead_letter set replayed_at = ?, replay_outcome = ? where id = ?",
        OffsetDateTime.now(clock),
        limit(outcome, 4000),
        id);
  }

  /** Dead letters are for diagnosis and replay, not an archive: old ones are removed. */
  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
  void removeOld() {
    Instant cutoff = clock.instant().minus(limits.deadLetterRetention());
    int removed = jdbc.update("delete from dead_letter where received_at < ?", utc(cutoff));
    if (removed > 0) {
      log.info("Removed {} dead letters older than {}", removed, limits.deadLetterRetention());
    }
  }

  private static DeadLetter deadLetter(ResultSet rs, int row) throws SQLException {
    return new DeadLetter(
        rs.getLong("id"),
        Optional.ofNullable(rs.getString("device_id")),
        rs.getString("transport"),
        rs.getString("content"),
        rs.getObject("received_at", OffsetDateTime.class).toInstant(),
        rs.getString("reason"),
        rs.getInt("payload_size"),
        rs.getBoolean("truncated"),
        Optional.ofNullable(rs.getObject("replayed_at", OffsetDateTime.class))
            .map(OffsetDateTime::toInstant),
        Optional.ofNullable(rs.getString("replay_outcome")));
  }

  private static String limit(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
