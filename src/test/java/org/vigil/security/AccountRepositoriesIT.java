package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditTrail;
import org.vigil.audit.ChangeAudit;
import org.vigil.privacy.FieldReencryption;
import org.vigil.privacy.TinkFieldCipher;
import org.vigil.testsupport.TestDatabase;

/** User accounts and OAuth clients, stored on every database Vigil supports. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class AccountRepositoriesIT {

  @Parameter TestDatabase database;

  private final PasswordEncoder passwords =
      PasswordEncoderFactories.createDelegatingPasswordEncoder();
  @TempDir Path keys;

  private TestDatabase.Instance db;
  private JdbcTemplate jdbc;
  private TinkFieldCipher cipher;
  private UserAccounts users;
  private ClientRegistry clients;

  @BeforeEach
  void createDatabase() {
    db = database.create();
    jdbc = new JdbcTemplate(db.dataSource());
    cipher = new TinkFieldCipher(keys);
    ChangeAudit changes =
        new ChangeAudit(
            new AuditTrail(
                jdbc,
                new org.springframework.transaction.support.TransactionTemplate(
                    new org.springframework.jdbc.datasource.DataSourceTransactionManager(
                        db.dataSource())),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
            new AuditAgents());
    users = new UserAccounts(jdbc, passwords, changes, cipher);
    clients =
        new ClientRegistry(
            jdbc, passwords, changes, new org.springframework.mock.env.MockEnvironment());
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  @Test
  void storesUsersWithHashedPasswords() {
    users.save(new UserAccount("nurse", Role.NURSE, "Nurse Joy", Optional.empty(), true), "s3cret");

    var details = users.loadUserByUsername("nurse");
    assertThat(details.getPassword()).startsWith("{bcrypt}").doesNotContain("s3cret");
    assertThat(passwords.matches("s3cret", details.getPassword())).isTrue();
    assertThat(details.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_NURSE");
    assertThat(users.find("nurse")).map(UserAccount::role).contains(Role.NURSE);
    assertThatThrownBy(() -> users.loadUserByUsername("nobody"))
        .isInstanceOf(UsernameNotFoundException.class);
  }

  @Test
  void registersClientsWithHashedSecretsForClientCredentials() {
    String secret = clients.register("ehr", Set.of("system/Observation.rs"), "The EHR");

    RegisteredClient client = clients.findByClientId("ehr");
    assertThat(client.getClientSecret()).startsWith("{bcrypt}").doesNotContain(secret);
    assertThat(passwords.matches(secret, client.getClientSecret())).isTrue();
    assertThat(client.getScopes()).containsExactly("system/Observation.rs");
    assertThat(client.getAuthorizationGrantTypes())
        .containsExactly(AuthorizationGrantType.CLIENT_CREDENTIALS);
    assertThat(clients.findByClientId("unknown")).isNull();
  }

  @Test
  void restoresAClientWithASecretTheCallerHolds() {
    clients.restore("demo", "vgc_known", Set.of("system/*.rs"), "demo");
    assertThat(passwords.matches("vgc_known", clients.findByClientId("demo").getClientSecret()))
        .isTrue();

    clients.restore("demo", "vgc_other", Set.of("system/*.rs"), "demo");
    assertThat(passwords.matches("vgc_other", clients.findByClientId("demo").getClientSecret()))
        .isTrue();
    assertThat(clients.exists("demo")).isTrue();
  }

  @Test
  void aCopyOfTheDatabaseRevealsNoDisplayName() {
    users.save(
        new UserAccount("nurse", Role.NURSE, "Joy Adebayo", Optional.empty(), true), "s3cret");

    String row = jdbc.queryForMap("select * from user_account").values().toString();
    assertThat(row).doesNotContain("Joy", "Adebayo");
    assertThat(users.find("nurse")).map(UserAccount::displayName).contains("Joy Adebayo");
    assertThat(users.all()).extracting(UserAccount::displayName).containsExactly("Joy Adebayo");

    users.save(
        new UserAccount("nurse", Role.NURSE, "Joy Okafor", Optional.empty(), true), "s3cret");
    assertThat(users.find("nurse")).map(UserAccount::displayName).contains("Joy Okafor");
    assertThat(jdbc.queryForMap("select * from user_account").values().toString())
        .doesNotContain("Okafor");
  }

  @Test
  void aNameMovedToAnotherUserDoesNotDecrypt() {
    users.save(new UserAccount("joy", Role.NURSE, "Joy Adebayo", Optional.empty(), true), "a");
    users.save(new UserAccount("sam", Role.NURSE, "Sam Reid", Optional.empty(), true), "b");
    jdbc.update(
        "update user_account set display_name_sealed = (select display_name_sealed from"
            + " user_account where username = 'joy') where username = 'sam'");

    assertThatThrownBy(() -> users.find("sam"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("user/sam/display_name does not decrypt")
        .hasMessageNotContaining("Joy");
  }

  @Test
  void usersStoredBeforeEncryptionAreEncryptedAndStillRead() {
    for (String name : new String[] {"old-1", "old-2"}) {
      jdbc.update(
          "insert into user_account (username, password_hash, role, display_name, enabled,"
              + " created_at) values (?, 'x', 'NURSE', ?, true,"
              + " TIMESTAMP WITH TIME ZONE '2026-11-24 10:00:00+00')",
          name,
          "Name of " + name);
    }
    assertThat(users.find("old-1")).map(UserAccount::displayName).contains("Name of old-1");

    assertThat(users.encryptPlaintextNames()).isEqualTo(2);
    assertThat(users.encryptPlaintextNames()).as("nothing left to do").isZero();

    assertThat(jdbc.queryForList("select * from user_account").toString())
        .doesNotContain("Name of");
    assertThat(users.all())
        .extracting(UserAccount::displayName)
        .containsExactly("Name of old-1", "Name of old-2");
  }

  @Test
  void afterARotationEveryNameIsReencryptedUnderTheNewKey() {
    for (int i = 1; i <= 5; i++) {
      users.save(
          new UserAccount("user-" + i, Role.NURSE, "Nurse " + i, Optional.empty(), true), "pw");
    }
    int oldKey = cipher.primaryKeyId();
    int newKey = cipher.rotate();
    FieldReencryption sweep = new FieldReencryption(List.of(users));

    FieldReencryption.Report report = sweep.run(2);

    assertThat(report.counts()).containsExactly(new FieldReencryption.Count("users", 5, 5));
    assertThat(
            jdbc.queryForList("select display_name_sealed from user_account", String.class).stream()
                .map(TinkFieldCipher::keyIdOf))
        .hasSize(5)
        .containsOnly(newKey)
        .doesNotContain(oldKey);
    assertThat(users.all())
        .extracting(UserAccount::displayName)
        .containsExactly("Nurse 1", "Nurse 2", "Nurse 3", "Nurse 4", "Nurse 5");
    assertThat(sweep.run(2).rewritten()).as("idempotent").isZero();
  }
}
