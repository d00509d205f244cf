package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * A person who leaves their session idle is signed out (the test server's idle limit is 5 s; the
 * default is 15 minutes), and the sign-out is in the audit trail.
 */
class IdleSignOutIT extends VigilServerTest {

  @Autowired UserAccounts users;
  @Autowired AuditTrail audit;

  @Test
  void anIdleSessionEndsAndTheNextRequestMustSignInAgain() throws Exception {
    users.save(new UserAccount("idle-nurse", Role.NURSE, "Nurse", Optional.empty(), true), "pw-i");
    WebSignIn browser = new WebSignIn(api().base());
    assertThat(browser.signsIn("idle-nurse", "pw-i")).isTrue();
    assertThat(browser.stillSignedIn()).as("right after signing in").isTrue();

    // Nothing to await here: the point is that time passes without a request.
    Thread.sleep(6_500);

    assertThat(browser.stillSignedIn()).as("after 6.5 s idle").isFalse();
    assertThat(audit.search(AuditQuery.all().byAgent("idle-nurse").page(0, 50)))
        .anySatisfy(e -> assertThat(e.entry().what()).isEqualTo("sign-out after PT5S idle"));
  }
}
