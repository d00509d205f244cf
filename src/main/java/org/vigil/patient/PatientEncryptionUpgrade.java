package org.vigil.patient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Once Vigil has started, encrypts patients stored by a version that kept their identifying fields
 * in plaintext. Does nothing when there are none.
 */
@Component
class PatientEncryptionUpgrade {

  private static final Logger log = LoggerFactory.getLogger(PatientEncryptionUpgrade.class);

  private final JdbcPatientRepository patients;

  PatientEncryptionUpgrade(JdbcPatientRepository patients) {
    this.patients = patients;
  }

  @EventListener(ApplicationReadyEvent.class)
  void encryptWhatIsStillPlain() {
    int encrypted = patients.encryptPlaintextRows();
    if (encrypted > 0) {
      log.info(
          "Encrypted the identifying fields of {} patients stored before encryption", encrypted);
    }
  }
}
