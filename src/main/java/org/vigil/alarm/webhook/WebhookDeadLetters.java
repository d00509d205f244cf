package org.vigil.alarm.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The store of alarm webhook deliveries that failed for good (V15). */
@Repository
class WebhookDeadLetters {

  private static final String COLUMNS =
      "id, endpoint, event_id, event, alarm_id, last_status, last_error, attempts, failed_at,"
          + " replayed_at, replay_outcome, delivered";

  private final JdbcTemplate jdbc;

  WebhookDeadLetters(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void record(
      String endpoint,
      String eventId,
      String event,
      long alarmId,
      String payload,
      Optional<Integer> lastStatus,
      String lastError,
      int attempts,
      Instant failedAt) {
    jdbc.update(
        "insert into alarm_webhook_dead_letter (endpoint, event_id, event, alarm_id, payload,"
            + " last_status, last_error, attempts, failed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        endpoint,
        eventId,
        event,
        alarmId,
        payload,
        lastStatus.orElse(null),
        limit(lastError, 4000),
        attempts,
        utc(failedAt));
  }

  /** Newest first. */
  List<WebhookDeadLetter> list(int offset, int count) {
    return jdbc.query(
        "select " + COLUMNS + " from alarm_webhook_dead_letter order by id desc limit ? offset ?",
        WebhookDeadLetters::deadLetter,
        count,
        offset);
  }

  long count() {
    Long count = jdbc.queryForObject("select count(*) from alarm_webhook_dead_letter", Long.class);
    return count == null ? 0 : count;
  }

  Optional<WebhookDeadLetter> find(long id) {
    return jdbc
        .query(
            "select " + COLUMNS + " from alarm_webhook_dead_letter where id = ?",
            WebhookDeadLetters::deadLetter,
            id)
        .stream()
        .findFirst();
  }

  /** The body exactly as it was signed and sent. */
  Optional<String> payload(long id) {
    return jdbc
        .queryForList(
            "select payload from alarm_webhook_dead_letter where id = ?", String.class, id)
        .stream()
        .findFirst();
  }

  void markReplayed(long id, Instant at, boolean delivered, String outcome) {
    jdbc.update(
        "update alarm_webhook_dead_letter set replayed_at = ?, replay_outcome = ?,"
            + " delivered = delivered or ? where id = ?",
        utc(at),
        limit(outcome, 4000),
        delivered,
        id);
  }

  private static WebhookDeadLetter deadLetter(ResultSet rs, int row) throws SQLException {
    int status = rs.getInt("last_status");
    Optional<Integer> lastStatus = rs.wasNull() ? Optional.empty() : Optional.of(status);
    return new WebhookDeadLetter(
        rs.getLong("id"),
        rs.getString("endpoint"),
        rs.getString("event_id"),
        rs.getString("event"),
        rs.getLong("alarm_id"),
        lastStatus,
        rs.getString("last_error"),
        rs.getInt("attempts"),
        rs.getObject("failed_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(rs.getObject("replayed_at", OffsetDateTime.class))
            .map(OffsetDateTime::toInstant),
        Optional.ofNullable(rs.getString("replay_outcome")),
        rs.getBoolean("delivered"));
  }

  private static String limit(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
