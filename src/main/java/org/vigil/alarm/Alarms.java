package org.vigil.alarm;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.vigil.audit.AuditAgent;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;

/**
 * The alarm lifecycle: raised → acknowledged (by whom, when) → resolved (by a clinician with a
 * reason, or by Vigil once the condition has stayed clear for the hold-off time). One open alarm
 * per patient and condition: a repeat updates it, and its priority rises with the condition (it
 * does not fall while the alarm is open). High priority alarms latch: they do not resolve
 * themselves until someone has acknowledged them. Every step is kept as an {@link AlarmEvent},
 * every person's action is audited, and every change goes out on the live stream.
 */
@Service
public class Alarms {

  private static final Logger log = LoggerFactory.getLogger(Alarms.class);
  private static final String COLUMNS =
      "id, patient_id, condition_code, priority, status, summary, raised_at, updated_at,"
          + " acknowledged_by, acknowledged_at, resolved_by, resolved_at, resolution, escalation,"
          + " snoozed_until";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final AlarmStream stream;
  private final AuditTrail audit;
  private final AlarmProperties settings;
  private final List<AlarmListener> listeners;
  private final Clock clock = Clock.systemUTC();

  /** Open alarms whose condition has cleared, and since when. */
  private final Map<Long, Instant> clearing = new ConcurrentHashMap<>();

  Alarms(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      AlarmStream stream,
      AuditTrail audit,
      AlarmProperties settings,
      List<AlarmListener> listeners) {
    this.listeners = List.copyOf(listeners);
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.stream = stream;
    this.audit = audit;
    this.settings = settings;
  }

  /**
   * The condition holds: raises an alarm, or updates the open one (its priority and summary), and
   * stops any hold-off towards resolving it.
   */
  public Alarm raise(String patientId, String condition, AlarmPriority priority, String summary) {
    Instant now = clock.instant();
    boolean[] changed = {true};
    AlarmEvent.Kind[] kind = {AlarmEvent.Kind.RAISED};
    Alarm alarm =
        transaction.execute(tx -> {
          Optional<Alarm> open = openAlarm(patientId, condition);
          if (open.isEmpty()) {
            long id = insert(patientId, condition, priority, summary, now);
            event(id, now, AlarmEvent.Kind.RAISED, null, priority, summary);
            return find(id).orElseThrow();
          }
          Alarm current = open.get();
          kind[0] = AlarmEvent.Kind.UPDATED;
          // The priority rises with the condition but does not fall while the alarm is open: a
          // high alarm that latched stays high until someone has acknowledged it.
          AlarmPriority kept =
              priority.compareTo(current.priority()) > 0 ? priority : current.priority();
          if (current.priority() == kept && current.summary().equals(summary)) {
            changed[0] = false;
            return current;
          }
          jdbc.update(
              "update alarm set priority = ?, summary = ?, updated_at = ? where id = ?",
              kept.name(),
              summary,
              utc(now),
              current.id());
          event(current.id(), now, AlarmEvent.Kind.UPDATED, null, kept, summary);
          return find(current.id()).orElseThrow();
        });
    clearing.remove(alarm.id());
    if (changed[0]) {
      publish(alarm, kind[0]);
    }
    return alarm;
  }

  /** Whether the patient has an open alarm for the condition. */
  public boolean isOpen(String patientId, String condition) {
    return openAlarm(patientId, condition).isPresent();
  }

  /** The condition no longer holds: its open alarm resolves after the hold-off, if it stays so. */
  public void conditionCleared(String patientId, String condition) {
    openAlarm(patientId, condition).ifPresent(a -> clearing.putIfAbsent(a.id(), clock.instant()));
  }

  /** Resolves the alarms whose condition has stayed clear for the hold-off time. */
  @Scheduled(fixedDelayString = "${vigil.alarms.clear-check-interval:PT5S}")
  void resolveCleared() {
    Instant due = clock.instant().minus(settings.clearHoldOff());
    for (Map.Entry<Long, Instant> entry : List.copyOf(clearing.entrySet())) {
      if (entry.getValue().isAfter(due)) {
        continue;
      }
      Optional<Alarm> alarm = find(entry.getKey());
      if (alarm.isEmpty() || !alarm.get().status().open()) {
        clearing.remove(entry.getKey());
        continue;
      }
      if (latched(alarm.get())) {
        continue;
      }
      clearing.remove(entry.getKey());
      try {
        finish(alarm.get(), null, "the condition cleared");
      } catch (RuntimeException e) {
        log.warn("Could not resolve a cleared alarm: {}", e.toString());
      }
    }
  }

  /**
   * Moves alarms that stayed active and unacknowledged (and not snoozed) for the escalation time
   * one step up the chain, and announces the end of snoozes that ran out.
   */
  @Scheduled(fixedDelayString = "${vigil.alarms.clear-check-interval:PT5S}")
  void escalateAndWake() {
    Instant now = clock.instant();
    // Each alarm with the time its current escalation step began, in the one query.
    Map<Alarm, Instant> active = new java.util.LinkedHashMap<>();
    jdbc.query(
        "select "
            + COLUMNS
            + ", coalesce(escalated_at, raised_at) as step_since from alarm"
            + " where status = ?",
        rs -> {
          active.put(alarm(rs, 0), rs.getObject("step_since", OffsetDateTime.class).toInstant());
        },
        AlarmStatus.ACTIVE.name());
    for (Map.Entry<Alarm, Instant> entry : active.entrySet()) {
      Alarm alarm = entry.getKey();
      try {
        if (alarm.snoozedUntil().isPresent() && !alarm.snoozedAt(now)) {
          wake(alarm, now);
        } else if (!alarm.snoozedAt(now) && dueToEscalate(alarm, entry.getValue(), now)) {
          escalate(alarm, now);
        }
      } catch (RuntimeException e) {
        log.warn("Could not escalate an alarm: {}", e.toString());
      }
    }
  }

  private boolean dueToEscalate(Alarm alarm, Instant stepSince, Instant now) {
    if (alarm.escalation() >= settings.escalation().size() - 1) {
      return false;
    }
    return !stepSince.plus(settings.escalateAfter()).isAfter(now);
  }

  private void escalate(Alarm alarm, Instant now) {
    int step = alarm.escalation() + 1;
    Alarm escalated =
        transaction.execute(tx -> {
          jdbc.update(
              "update alarm set escalation = ?, escalated_at = ?, updated_at = ? where id = ?"
                  + " and status = ? and escalation = ?",
              step,
              utc(now),
              utc(now),
              alarm.id(),
              AlarmStatus.ACTIVE.name(),
              alarm.escalation());
          event(
              alarm.id(),
              now,
              AlarmEvent.Kind.ESCALATED,
              null,
              alarm.priority(),
              "to " + settings.stepName(step));
          return find(alarm.id()).orElseThrow();
        });
    publish(escalated, AlarmEvent.Kind.ESCALATED);
  }

  private void wake(Alarm alarm, Instant now) {
    Alarm awake =
        transaction.execute(tx -> {
          jdbc.update(
              "update alarm set snoozed_until = null, escalated_at = ?, updated_at = ?"
                  + " where id = ?",
              utc(now),
              utc(now),
              alarm.id());
          event(alarm.id(), now, AlarmEvent.Kind.UPDATED, null, alarm.priority(), "snooze ended");
          return find(alarm.id()).orElseThrow();
        });
    publish(awake, AlarmEvent.Kind.UPDATED);
  }

  /**
   * Silences an alarm for a while, with a reason (a nurse attending the patient, a planned
   * procedure). It stays open and does not escalate meanwhile; when the snooze ends it sounds
   * again.
   */
  public Alarm snooze(long id, AuditAgent by, String reason, java.time.Duration duration) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a reason is required to snooze an alarm");
    }
    if (duration.isNegative()
        || duration.isZero()
        || duration.compareTo(settings.maxSnooze()) > 0) {
      throw new IllegalArgumentException(
          "a snooze lasts more than 0 and at most "
              + settings.maxSnooze().toMinutes()
              + " minutes");
    }
    Alarm alarm = find(id).orElseThrow(() -> new AlarmNotFoundException(id));
    if (!alarm.status().open()) {
      throw new AlarmStateException("alarm " + id + " is already resolved");
    }
    Instant now = clock.instant();
    Instant until = now.plus(duration);
    Alarm snoozed =
        transaction.execute(tx -> {
          jdbc.update(
              "update alarm set snoozed_until = ?, updated_at = ? where id = ?",
              utc(until),
              utc(now),
              id);
          event(
              id,
              now,
              AlarmEvent.Kind.SNOOZED,
              by.id(),
              alarm.priority(),
              "until " + until + ": " + reason.strip());
          return find(id).orElseThrow();
        });
    audited(by, alarm, "snooze alarm " + id + " until " + until, Optional.of(reason.strip()));
    publish(snoozed, AlarmEvent.Kind.SNOOZED);
    return snoozed;
  }

  /** A stored change goes out on the live stream and to every {@link AlarmListener}. */
  private void publish(Alarm alarm, AlarmEvent.Kind what) {
    stream.publish(view(alarm));
    for (AlarmListener listener : listeners) {
      try {
        listener.changed(alarm, what);
      } catch (RuntimeException e) {
        log.warn("alarm listener {} failed on alarm {}", listener, alarm.id(), e);
      }
    }
  }

  /** The alarm as the API shows it, with whom it is with on the escalation chain. */
  AlarmView view(Alarm alarm) {
    return AlarmView.of(alarm, settings.stepName(alarm.escalation()));
  }

  /** A high-priority alarm nobody has acknowledged stays, even when its condition has cleared. */
  private static boolean latched(Alarm alarm) {
    return alarm.priority() == AlarmPriority.HIGH && alarm.status() == AlarmStatus.ACTIVE;
  }

  /**
   * Someone has seen the alarm and is responding.
   *
   * @throws AlarmStateException when it is already resolved
   */
  public Alarm acknowledge(long id, AuditAgent by) {
    Instant now = clock.instant();
    Alarm alarm = find(id).orElseThrow(() -> new AlarmNotFoundException(id));
    if (!alarm.status().open()) {
      throw new AlarmStateException("alarm " + id + " is already resolved");
    }
    if (alarm.status() == AlarmStatus.ACKNOWLEDGED) {
      return alarm;
    }
    Alarm acknowledged =
        transaction.execute(tx -> {
          jdbc.update(
              "update alarm set status = ?, acknowledged_by = ?, acknowledged_at = ?,"
                  + " updated_at = ? where id = ?",
              AlarmStatus.ACKNOWLEDGED.name(),
              by.id(),
              utc(now),
              utc(now),
              id);
          event(id, now, AlarmEvent.Kind.ACKNOWLEDGED, by.id(), alarm.priority(), null);
          return find(id).orElseThrow();
        });
    audited(by, alarm, "acknowledge alarm " + id, Optional.empty());
    publish(acknowledged, AlarmEvent.Kind.ACKNOWLEDGED);
    return acknowledged;
  }

  /**
   * A clinician ends the alarm, saying why.
   *
   * @throws AlarmStateException when it is already resolved
   */
  public Alarm resolve(long id, AuditAgent by, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a reason is required to resolve an alarm");
    }
    Alarm alarm = find(id).orElseThrow(() -> new AlarmNotFoundException(id));
    if (!alarm.status().open()) {
      throw new AlarmStateException("alarm " + id + " is already resolved");
    }
    Alarm resolved = finish(alarm, by.id(), reason.strip());
    audited(by, alarm, "resolve alarm " + id, Optional.of(reason.strip()));
    return resolved;
  }

  private Alarm finish(Alarm alarm, String by, String reason) {
    Instant now = clock.instant();
    Alarm resolved =
        transaction.execute(tx -> {
          jdbc.update(
              "update alarm set status = ?, resolved_by = ?, resolved_at = ?, resolution = ?,"
                  + " updated_at = ? where id = ?",
              AlarmStatus.RESOLVED.name(),
              by,
              utc(now),
              reason,
              utc(now),
              alarm.id());
          event(alarm.id(), now, AlarmEvent.Kind.RESOLVED, by, alarm.priority(), reason);
          return find(alarm.id()).orElseThrow();
        });
    clearing.remove(alarm.id());
    publish(resolved, AlarmEvent.Kind.RESOLVED);
    return resolved;
  }

  public Optional<Alarm> find(long id) {
    return jdbc.query("select " + COLUMNS + " from alarm where id = ?", Alarms::alarm, id).stream()
        .findFirst();
  }

  /** Open alarms (active and acknowledged) of the patients, highest priority and oldest first. */
  public List<Alarm> open(Optional<Set<String>> patients) {
    List<Alarm> open =
        jdbc.query(
            "select " + COLUMNS + " from alarm where status <> ? order by raised_at",
            Alarms::alarm,
            AlarmStatus.RESOLVED.name());
    List<Alarm> theirs = new ArrayList<>();
    for (Alarm a : open) {
      if (patients.map(p -> p.contains(a.patientId())).orElse(true)) {
        theirs.add(a);
      }
    }
    theirs.sort(
        java.util.Comparator.comparing(Alarm::priority).reversed().thenComparing(Alarm::raisedAt));
    return theirs;
  }

  /** A patient's alarms, open and past, newest first. */
  public List<Alarm> ofPatient(String patientId, int max) {
    return jdbc.query(
        "select " + COLUMNS + " from alarm where patient_id = ? order by raised_at desc limit ?",
        Alarms::alarm,
        patientId,
        max);
  }

  /** Everything the alarm went through, in order. */
  public List<AlarmEvent> history(long alarmId) {
    return jdbc.query(
        "select alarm_id, occurred_at, kind, actor, priority, detail from alarm_event"
            + " where alarm_id = ? order by occurred_at, id",
        (rs, row) ->
            new AlarmEvent(
                rs.getLong("alarm_id"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                AlarmEvent.Kind.valueOf(rs.getString("kind")),
                Optional.ofNullable(rs.getString("actor")),
                AlarmPriority.valueOf(rs.getString("priority")),
                Optional.ofNullable(rs.getString("detail"))),
        alarmId);
  }

  private Optional<Alarm> openAlarm(String patientId, String condition) {
    return jdbc
        .query(
            "select "
                + COLUMNS
                + " from alarm where patient_id = ? and condition_code = ?"
                + " and status <> ? order by id desc",
            Alarms::alarm,
            patientId,
            condition,
            AlarmStatus.RESOLVED.name())
        .stream()
        .findFirst();
  }

  private long insert(
      String patientId, String condition, AlarmPriority priority, String summary, Instant now) {
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    jdbc.update(
        connection -> {
          var insert =
              connection.prepareStatement(
                  "insert into alarm (patient_id, condition_code, priority, status, summary,"
                      + " raised_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
                  new String[] {"id"});
          insert.setString(1, patientId);
          insert.setString(2, condition);
          insert.setString(3, priority.name());
          insert.setString(4, AlarmStatus.ACTIVE.name());
          insert.setString(5, summary);
          insert.setObject(6, utc(now));
          insert.setObject(7, utc(now));
          return insert;
        },
        key);
    return key.getKey().longValue();
  }

  private void event(
      long alarmId,
      Instant at,
      AlarmEvent.Kind kind,
      String actor,
      AlarmPriority priority,
      String detail) {
    jdbc.update(
        "insert into alarm_event (alarm_id, occurred_at, kind, actor, priority, detail)"
            + " values (?, ?, ?, ?, ?, ?)",
        alarmId,
        utc(at),
        kind.name(),
        actor,
        priority.name(),
        detail);
  }

  private void audited(AuditAgent by, Alarm alarm, String what, Optional<String> detail) {
    audit.record(
        new AuditEntry(
            "rest", "U", AuditEntry.SUCCESS, by, Set.of(alarm.patientId()), what, detail));
  }

  private static Alarm alarm(ResultSet rs, int row) throws SQLException {
    return new Alarm(
        rs.getLong("id"),
        rs.getString("patient_id"),
        rs.getString("condition_code"),
        AlarmPriority.valueOf(rs.getString("priority")),
        AlarmStatus.valueOf(rs.getString("status")),
        rs.getString("summary"),
        instant(rs, "raised_at").orElseThrow(),
        instant(rs, "updated_at").orElseThrow(),
        Optional.ofNullable(rs.getString("acknowledged_by")),
        instant(rs, "acknowledged_at"),
        Optional.ofNullable(rs.getString("resolved_by")),
        instant(rs, "resolved_at"),
        Optional.ofNullable(rs.getString("resolution")),
        rs.getInt("escalation"),
        instant(rs, "snoozed_until"));
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
