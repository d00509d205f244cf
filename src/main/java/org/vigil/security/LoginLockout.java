package org.vigil.security;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.vigil.audit.ChangeAudit;

/**
 * Locks a person's account for a while after too many wrong passwords in a row, so that guessing a
 * password takes years rather than minutes; a successful sign-in or a password reset clears the
 * count. The lock is in the audit trail; each failed attempt already is.
 */
@Component
class LoginLockout {

  private final JdbcTemplate jdbc;
  private final ChangeAudit audit;
  private final int maxFailures;
  private final Duration lockFor;
  private final Clock clock = Clock.systemUTC();

  LoginLockout(
      JdbcTemplate jdbc,
      ChangeAudit audit,
      @Value("${vigil.security.max-failed-logins:5}") int maxFailures,
      @Value("${vigil.security.lockout-duration:PT15M}") Duration lockFor) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.maxFailures = maxFailures;
    this.lockFor = lockFor;
  }

  @EventListener
  void failed(AuthenticationFailureBadCredentialsEvent event) {
    if (!(event.getAuthentication() instanceof UsernamePasswordAuthenticationToken attempt)) {
      return;
    }
    String username = attempt.getName();
    int updated =
        jdbc.update(
            "update user_account set failed_logins = failed_logins + 1 where username = ?",
            username);
    if (updated == 0) {
      return; // no such user: nothing to lock, and the failure is audited already
    }
    Integer failures =
        jdbc.queryForObject(
            "select failed_logins from user_account where username = ?", Integer.class, username);
    if (failures != null && failures >= maxFailures) {
      OffsetDateTime until =
          OffsetDateTime.ofInstant(clock.instant().plus(lockFor), ZoneOffset.UTC);
      jdbc.update(
          "update user_account set locked_until = ?, failed_logins = 0 where username = ?",
          until,
          username);
      audit.changed(
          "account",
          "U",
          "lock user "
              + username
              + " until "
              + until.toInstant()
              + " after "
              + failures
              + " wrong passwords",
          java.util.Set.of());
    }
  }

  @EventListener
  void succeeded(AuthenticationSuccessEvent event) {
    if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken signedIn) {
      jdbc.update(
          "update user_account set failed_logins = 0 where username = ? and failed_logins > 0",
          signedIn.getName());
    }
  }
}
