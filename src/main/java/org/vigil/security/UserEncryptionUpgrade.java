package org.vigil.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once Vigil has started, encrypts the display names of users stored by a version that kept them in
 * plaintext. Does nothing when there are none.
 */
@Component
class UserEncryptionUpgrade {

  private static final Logger log = LoggerFactory.getLogger(UserEncryptionUpgrade.class);

  private final UserAccounts users;

  UserEncryptionUpgrade(UserAccounts users) {
    this.users = users;
  }

  @EventListener(ApplicationReadyEvent.class)
  void encryptWhatIsStillPlain() {
    int encrypted = users.encryptPlaintextNames();
    if (encrypted > 0) {
      log.info("Encrypted the display names of {} users stored before encryption", encrypted);
    }
  }
}
