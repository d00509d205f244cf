package org.vigil.telemedicine;

import static org.vigil.telemedicine.Schedules.at;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Single-use links into a visit, each for one participant and expiring. Only the SHA-256 of a link
 * is stored: 256 random bits need no slow hash, and whoever reads the table cannot join. A link is
 * spent the moment it is presented, whether or not the join then succeeds, so that a link seen in
 * transit is worth nothing after its owner used it.
 */
@Service
public class JoinLinks {

  /** {@code join}: issued to a participant; {@code rejoin}: given on joining, for a reconnect. */
  enum Kind {
    JOIN,
    REJOIN
  }

  /** A link as issued: the secret, shown once, and when it stops working. */
  public record Issued(String link, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[expiresAt=" + expiresAt + "]";
    }
  }

  /** Why a link was refused, as the person is told it. */
  public enum Refusal {
    UNKNOWN("the link is not one Vigil issued"),
    USED("the link has been used already; ask for a new one"),
    EXPIRED("the link has expired; ask for a new one"),
    NOT_YOURS("the link was issued to someone else");

    private final String reason;

    Refusal(String reason) {
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /** What presenting a link gave: its appointment, or why not. */
  public record Redeemed(Optional<String> appointmentId, Optional<Refusal> refusal) {}

  private final JdbcTemplate jdbc;
  private final TelemedicineProperties settings;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  @org.springframework.beans.factory.annotation.Autowired
  JoinLinks(JdbcTemplate jdbc, TelemedicineProperties settings) {
    this(jdbc, settings, Clock.systemUTC());
  }

  /** With a clock of the caller's: the tests issue links that have expired. */
  JoinLinks(JdbcTemplate jdbc, TelemedicineProperties settings, Clock clock) {
    this.jdbc = jdbc;
    this.settings = settings;
    this.clock = clock;
  }

  public Issued issue(String appointmentId, String username) {
    return issue(appointmentId, username, Kind.JOIN, settings.linkLifetime());
  }

  Issued issueRejoin(String appointmentId, String username) {
    return issue(appointmentId, username, Kind.REJOIN, settings.rejoinLifetime());
  }

  private Issued issue(String appointmentId, String username, Kind kind, Duration lifetime) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String link = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Instant now = clock.instant();
    Instant expires = now.plus(lifetime);
    jdbc.update(
        "insert into visit_join_link (token_hash, appointment_id, username, kind, created_at,"
            + " expires_at) values (?, ?, ?, ?, ?, ?)",
        hash(link),
        appointmentId,
        username,
        kind.name().toLowerCase(java.util.Locale.ROOT),
        at(now),
        at(expires));
    return new Issued(link, expires);
  }

  /**
   * Spends the link, presented by {@code username}: good once, before it expires, for its owner.
   */
  public Redeemed redeem(String link, String username) {
    if (link == null || link.length() > 100) {
      return refused(Refusal.UNKNOWN);
    }
    String hash = hash(link);
    var rows =
        jdbc.queryForList(
            "select appointment_id, username, expires_at, used_at from visit_join_link"
                + " where token_hash = ?",
            hash);
    if (rows.isEmpty()) {
      return refused(Refusal.UNKNOWN);
    }
    Instant now = clock.instant();
    // spent first, atomically: of two presenting the same link at once, one gets it
    boolean spent =
        jdbc.update(
                "update visit_join_link set used_at = ? where token_hash = ? and used_at is null",
                at(now),
                hash)
            == 1;
    if (!spent) {
      return refused(Refusal.USED);
    }
    var row = rows.getFirst();
    if (!username.equals(row.get("username"))) {
      return refused(Refusal.NOT_YOURS);
    }
    Instant expires = toInstant(row.get("expires_at"));
    if (!now.isBefore(expires)) {
      return refused(Refusal.EXPIRED);
    }
    return new Redeemed(Optional.of((String) row.get("appointment_id")), Optional.empty());
  }

  private static Instant toInstant(Object value) {
    return switch (value) {
      case java.time.OffsetDateTime t -> t.toInstant();
      case java.sql.Timestamp t -> t.toInstant();
      case Instant t -> t;
      default -> throw new IllegalStateException("unexpected time " + value.getClass());
    };
  }

  private static Redeemed refused(Refusal why) {
    return new Redeemed(Optional.empty(), Optional.of(why));
  }

  static String hash(String link) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(link.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
