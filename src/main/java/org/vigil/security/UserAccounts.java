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
import org.vigil.privacy.FieldCipher;
import org.vigil.privacy.SealedRecords;

/**
 * The people who sign in, with their passwords hashed by the configured password encoder and their
 * display names encrypted by the field cipher (bound to the username, so a name cannot be moved to
 * another account unnoticed).
 */
@Service
public class UserAccounts implements UserDetailsService, SealedRecords {

  private static final String ACCOUNT_COLUMNS =
      "username, role, display_name, display_name_sealed, patient_id, enabled";

  private final JdbcTemplate jdbc;
  private final PasswordEncoder passwords;
  private final Clock clock = Clock.systemUTC();
  private final SecureRandom random = new SecureRandom();
  private final ChangeAudit audit;
  private final FieldCipher cipher;

  UserAccounts(
      JdbcTemplate jdbc, PasswordEncoder passwords, ChangeAudit audit, FieldCipher cipher) {
    this.jdbc = jdbc;
    this.passwords = passwords;
    this.audit = audit;
    this.cipher = cipher;
  }

  /** Adds a user or, if the username exists, replaces their role, name and password. */
  public void save(UserAccount user, String password) {
    String hash = passwords.encode(password);
    int updated =
        jdbc.update(
            "update user_account set password_hash = ?, role = ?, display_name_sealed = ?,"
                + " display_name = null, patient_id = ?, enabled = ? where username = ?",
            hash,
            user.role().name(),
            sealName(user.username(), user.displayName()),
            user.patientId().orElse(null),
            user.enabled(),
            user.username());
    if (updated == 0) {
      jdbc.update(
          "insert into user_account (password_hash, role, display_name_sealed, patient_id,"
              + " enabled, username, created_at) values (?, ?, ?, ?, ?, ?, ?)",
          hash,
          user.role().name(),
          sealName(user.username(), user.displayName()),
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

  /** The wards each nurse or clinician works on, by username; those on none are left out. */
  public java.util.Map<String, java.util.SortedSet<String>> wardsByUser() {
    java.util.Map<String, java.util.SortedSet<String>> wards = new java.util.TreeMap<>();
    jdbc.query(
        "select username, ward from user_ward",
        rs -> {
          wards
              .computeIfAbsent(rs.getString("username"), u -> new java.util.TreeSet<>())
              .add(rs.getString("ward"));
        });
    return wards;
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
        "select " + ACCOUNT_COLUMNS + " from user_account order by username",
        (rs, row) -> account(rs));
  }

  /**
   * Encrypts the display names stored before encryption and clears their plaintext, a page of users
   * at a time. Safe to run again: it finds nothing to do.
   *
   * @return how many users it encrypted
   */
  public int encryptPlaintextNames() {
    int encrypted = 0;
    String after = "";
    while (true) {
      List<String[]> plain =
          jdbc.query(
              "select username, display_name from user_account where display_name is not null"
                  + " and username > ? order by username limit 500",
              (rs, row) -> new String[] {rs.getString("username"), rs.getString("display_name")},
              after);
      for (String[] user : plain) {
        // only if still plain: a save meanwhile has sealed it already
        encrypted +=
            jdbc.update(
                "update user_account set display_name_sealed = ?, display_name = null"
                    + " where username = ? and display_name = ?",
                sealName(user[0], user[1]),
                user[0],
                user[1]);
      }
      if (plain.size() < 500) {
        return encrypted;
      }
      after = plain.getLast()[0];
    }
  }

  @Override
  public String kind() {
    return "users";
  }

  /** Rewrites a user's sealed name only if it is under an older key and unchanged since read. */
  @Override
  public Batch reencrypt(Optional<String> after, int limit) {
    List<String[]> rows =
        jdbc.query(
            "select username, display_name_sealed from user_account"
                + " where display_name_sealed is not null and username > ?"
                + " order by username limit ?",
            (rs, row) ->
                new String[] {rs.getString("username"), rs.getString("display_name_sealed")},
            after.orElse(""),
            limit);
    int rewritten = 0;
    for (String[] user : rows) {
      String moved = cipher.reencrypt(user[1], nameContext(user[0]));
      if (!moved.equals(user[1])) {
        rewritten +=
            jdbc.update(
                "update user_account set display_name_sealed = ?"
                    + " where username = ? and display_name_sealed = ?",
                moved,
                user[0],
                user[1]);
      }
    }
    return new Batch(
        rows.isEmpty() ? Optional.empty() : Optional.of(rows.getLast()[0]), rows.size(), rewritten);
  }

  private String sealName(String username, String displayName) {
    return cipher.encrypt(displayName, nameContext(username));
  }

  /**
   * A name still in plaintext (stored before encryption, not yet upgraded) is read as it is;
   * everything else must decrypt.
   */
  private String openName(String username, String sealed, String plain) {
    if (sealed == null) {
      return plain == null ? "" : plain;
    }
    return cipher.decrypt(sealed, nameContext(username));
  }

  private static String nameContext(String username) {
    return "user/" + username + "/display_name";
  }

  private UserAccount require(String username) {
    return find(username).orElseThrow(() -> new IllegalArgumentException("no user " + username));
  }

  private String newPassword() {
    byte[] bytes = new byte[15];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private UserAccount account(java.sql.ResultSet rs) throws java.sql.SQLException {
    String username = rs.getString("username");
    return new UserAccount(
        username,
        Role.valueOf(rs.getString("role")),
        openName(username, rs.getString("display_name_sealed"), rs.getString("display_name")),
        Optional.ofNullable(rs.getString("patient_id")),
        rs.getBoolean("enabled"));
  }

  public Optional<UserAccount> find(String username) {
    return jdbc
        .query(
            "select " + ACCOUNT_COLUMNS + " from user_account where username = ?",
            (rs, row) -> account(rs),
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
