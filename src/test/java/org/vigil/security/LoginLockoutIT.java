package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/** Guessing passwords at the sign-in form locks the account, on the record; a reset unlocks it. */
class LoginLockoutIT extends VigilServerTest {

  @Autowired UserAccounts users;
  @Autowired AuditTrail audit;

  @Test
  void fiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne() {
    users.save(
        new UserAccount("lock-nurse", Role.NURSE, "Nurse", Optional.empty(), true), "right-one");
    WebSignIn browser = new WebSignIn(api().base());
    assertThat(browser.signsIn("lock-nurse", "right-one")).isTrue();

    for (int attempt = 1; attempt <= 5; attempt++) {
      assertThat(new WebSignIn(api().base()).signsIn("lock-nurse", "guess-" + attempt)).isFalse();
    }

    assertThat(new WebSignIn(api().base()).signsIn("lock-nurse", "right-one"))
        .as("locked")
        .isFalse();
    assertThat(audit.search(AuditQuery.all().page(0, 200)))
        .anySatisfy(e -> assertThat(e.entry().what()).startsWith("lock user lock-nurse until"))
        .anySatisfy(e -> {
          assertThat(e.entry().category()).isEqualTo("login");
          assertThat(e.entry().agent().id()).isEqualTo("lock-nurse");
          assertThat(e.entry().detail().orElseThrow()).containsIgnoringCase("locked");
        });

    String fresh = users.resetPassword("lock-nurse");
    assertThat(new WebSignIn(api().base()).signsIn("lock-nurse", fresh)).isTrue();
  }
}
