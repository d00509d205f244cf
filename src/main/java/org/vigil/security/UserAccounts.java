package org.vigil.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.vigil.audit.ChangeAudit;

/** The people who sign in, with their passwords hashed by the configured password encoder. */
@Service
public class UserAccounts implements UserDetailsService {

  private final JdbcTemplate jdbc;
  private final PasswordEncoder passwords;
  private final Clock clock = Clock.systemUTC();
  private final SecureRandom random = new SecureRandom();
  private final ChangeAudit audit;

  UserAccounts(JdbcTemplate jdbc, PasswordEncoder passwords, ChangeAudit audit) {
    this.jdbc = jdbc;
    this.passwords = passwords;
    this.audit = audit;
  }

  /** Adds a user or, if the username exists, replaces their role, name and password. */
  public void save(UserAccount user, String password) {
    String hash = passwords.encode(password);
    int updated =
        jdbc.update(
            "update user_account set password_hash = ?, role = ?, display_name = ?,"
                + " patient_id = ?, enabled = ? where username = ?",
            hash,
            user.role().name(),
            user.displayName(),
            user.patientId().orElse(null),
            user.enabled(),
            user.username());
    if (updated == 0) {
      jdbc.update(
          "insert into user_account (password_hash, role, display_name, patient_id, enabled,"
              + " username, created_at) values (?, ?, ?, ?, ?, ?, ?)",
          hash,
          user.role().name(),
          user.displayName(),
          user.patientId().orElse(null),
          user.enabled(),
          user.username(),
          OffsetDateTime.now(clock));
    }
  }

  /**
   * Adds a user with a new random password, which is returned and cannot be shown again.
   *
   * @throws IllegalArgumentException when the username is taken
   */
  public String add(UserAccount user) {
    if (find(user.username()).isPresent()) {
      throw new IllegalArgumentException("user " + user.username() + " already exists");
    }
    String password = newPassword();
    save(user, password);
    audit.changed(
        "account", "C", "add user " + user.username() + " (" + user.role().label() + ")", Set.of());
    return password;
  }

  /** Gives the user a new random password, returned once; the old one stops working at once. */
  public String resetPassword(String username) {
    UserAccount user = require(username);
    String password = newPassword();
    jdbc.update(
        "update user_account set password_hash = ?, failed_logins = 0, locked_until = null"
            + " where username = ?",
        passwords.encode(password),
        user.username());
    audit.changed("account", "U", "reset password of user " + username, Set.of());
    return password;
  }

  /** A disabled user cannot sign in; their history stays. */
  public void setEnabled(String username, boolean enabled) {
    require(username);
    jdbc.update("update user_account set enabled = ? where username = ?", enabled, username);
    audit.changed("account", "U", (enabled ? "enable" : "disable") + " user " + username, Set.of());
  }

  /** The wards a nurse or clinician works on; they see the patients there. */
  public Set<String> wardsOf(String username) {
    return Set.copyOf(
        jdbc.queryForList("select ward from user_ward where username = ?", String.class, username));
  }

  /** Replaces the wards someone works on. */
  public void setWards(String username, Set<String> wards) {
    require(username);
    jdbc.update("delete from user_ward where username = ?", username);
    for (String ward : wards) {
      jdbc.update("insert into user_ward (username, ward) values (?, ?)", username, ward);
    }
    audit.changed(
        "account",
        "U",
        "set wards of user "
            + username
            + " to "
            + String.join(", ", new java.util.TreeSet<>(wards)),
        Set.of());
  }

  public List<UserAccount> all() {
    return jdbc.query(
        "select username, role, display_name, patient_id, enabled from user_account"
            + " order by username",
        (rs, row) -> account(rs));
  }

  private UserAccount require(String username) {
    return find(username).orElseThrow(() -> new IllegalArgumentException("no user " + username));
  }

  private String newPassword() {
    byte[] bytes = new byte[15];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static UserAccount account(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new UserAccount(
        rs.getString("username"),
        Role.valueOf(rs.getString("role")),
        rs.getString("display_name"),
        Optional.ofNullable(rs.getString("patient_id")),
        rs.getBoolean("enabled"));
  }

  public Optional<UserAccount> find(String username) {
    return jdbc
        .query(
            "select username, role, display_name, patient_id, enabled from user_account"
                + " where username = ?",
            (rs, row) ->
                new UserAccount(
                    rs.getString("username"),
                    Role.valueOf(rs.getString("role")),
                    rs.getString("display_name"),
                    Optional.ofNullable(rs.getString("patient_id")),
                    rs.getBoolean("enabled")),
            username)
        .stream()
        .findFirst();
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    List<UserDetails> found =
        jdbc.query(
            "select username, password_hash, role, enabled, locked_until from user_account"
                + " where username = ?",
            (rs, row) -> {
              OffsetDateTime lockedUntil = rs.getObject("locked_until", OffsetDateTime.class);
              return User.withUsername(rs.getString("username"))
                  .password(rs.getString("password_hash"))
                  .authorities(Role.valueOf(rs.getString("role")).authority())
                  .disabled(!rs.getBoolean("enabled"))
                  .accountLocked(
                      lockedUntil != null && lockedUntil.toInstant().isAfter(clock.instant()))
                  .build();
            },
            username);
    if (found.isEmpty()) {
      throw new UsernameNotFoundException("no such user");
    }
    return found.getFirst();
  }
}
