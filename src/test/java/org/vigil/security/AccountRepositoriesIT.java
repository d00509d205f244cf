package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
import org.vigil.testsupport.TestDatabase;

/** User accounts and OAuth clients, stored on every database Vigil supports. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class AccountRepositoriesIT {

  @Parameter TestDatabase database;

  private final PasswordEncoder passwords =
      PasswordEncoderFactories.createDelegatingPasswordEncoder();
  private TestDatabase.Instance db;
  private UserAccounts users;
  private ClientRegistry clients;

  @BeforeEach
  void createDatabase() {
    db = database.create();
    JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());
    ChangeAudit changes =
        new ChangeAudit(
            new AuditTrail(
                jdbc,
                new org.springframework.transaction.support.TransactionTemplate(
                    new org.springframework.jdbc.datasource.DataSourceTransactionManager(
                        db.dataSource())),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
            new AuditAgents());
    users = new UserAccounts(jdbc, passwords, changes);
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
}
