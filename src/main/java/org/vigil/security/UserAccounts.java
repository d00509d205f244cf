package org.vigil.security;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** The people who sign in, with their passwords hashed by the configured password encoder. */
@Service
public class UserAccounts implements UserDetailsService {

  private final JdbcTemplate jdbc;
  private final PasswordEncoder passwords;
  private final Clock clock = Clock.systemUTC();

  UserAccounts(JdbcTemplate jdbc, PasswordEncoder passwords) {
    this.jdbc = jdbc;
    this.passwords = passwords;
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
            "select username, password_hash, role, enabled from user_account where username = ?",
            (rs, row) ->
                User.withUsername(rs.getString("username"))
                    .password(rs.getString("password_hash"))
                    .authorities(Role.valueOf(rs.getString("role")).authority())
                    .disabled(!rs.getBoolean("enabled"))
                    .build(),
            username);
    if (found.isEmpty()) {
      throw new UsernameNotFoundException("no such user");
    }
    return found.getFirst();
  }
}
