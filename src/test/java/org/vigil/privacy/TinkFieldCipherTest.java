package org.vigil.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Field encryption with Tink: binding to a context, rotation, persistence, blind indexes. */
class TinkFieldCipherTest {

  @TempDir Path keys;

  @Test
  void roundTripsAndBindsEachCiphertextToItsContext() {
    TinkFieldCipher cipher = new TinkFieldCipher(keys);
    String sealed = cipher.encrypt("Okafor", "patient/p1/family_name");

    assertThat(sealed).doesNotContain("Okafor");
    assertThat(cipher.isCiphertext(sealed)).isTrue();
    assertThat(cipher.isCiphertext("Okafor")).isFalse();
    assertThat(cipher.decrypt(sealed, "patient/p1/family_name")).isEqualTo("Okafor");
    assertThat(cipher.encrypt("Okafor", "patient/p1/family_name"))
        .as("randomized: equal names do not give equal ciphertexts")
        .isNotEqualTo(sealed);
    assertThatThrownBy(() -> cipher.decrypt(sealed, "patient/p2/family_name"))
        .isInstanceOf(IllegalStateException.class);
    String tampered = sealed.substring(0, sealed.length() - 4) + "AAA=";
    assertThatThrownBy(() -> cipher.decrypt(tampered, "patient/p1/family_name"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void afterARotationOldValuesStillDecryptAndNewOnesUseTheNewKey() {
    TinkFieldCipher cipher = new TinkFieldCipher(keys);
    int firstKey = cipher.primaryKeyId();
    String before = cipher.encrypt("MRN-1", "patient/p1/mrn");

    int secondKey = cipher.rotate();
    String after = cipher.encrypt("MRN-1", "patient/p1/mrn");

    assertThat(secondKey).isNotEqualTo(firstKey);
    assertThat(keyIdOf(before)).isEqualTo(firstKey);
    assertThat(keyIdOf(after)).isEqualTo(secondKey);
    // another process (a restart) with the same key files reads both
    TinkFieldCipher restarted = new TinkFieldCipher(keys);
    assertThat(restarted.decrypt(before, "patient/p1/mrn")).isEqualTo("MRN-1");
    assertThat(restarted.decrypt(after, "patient/p1/mrn")).isEqualTo("MRN-1");
    assertThat(restarted.primaryKeyId()).isEqualTo(secondKey);
  }

  @Test
  void reencryptionMovesAValueToThePrimaryKeyAndLeavesOneAlreadyThere() {
    TinkFieldCipher cipher = new TinkFieldCipher(keys);
    String before = cipher.encrypt("Okafor", "patient/p1/family_name");
    assertThat(cipher.reencrypt(before, "patient/p1/family_name"))
        .as("already under the primary key")
        .isSameAs(before);

    int secondKey = cipher.rotate();
    String moved = cipher.reencrypt(before, "patient/p1/family_name");

    assertThat(keyIdOf(moved)).isEqualTo(secondKey);
    assertThat(TinkFieldCipher.keyIdOf(moved)).isEqualTo(secondKey);
    assertThat(TinkFieldCipher.keyIdOf(before)).isEqualTo(keyIdOf(before));
    assertThat(cipher.decrypt(moved, "patient/p1/family_name")).isEqualTo("Okafor");
    assertThatThrownBy(() -> cipher.reencrypt(moved, "patient/p2/family_name"))
        .as("still bound to its context")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TinkFieldCipher.keyIdOf("Okafor"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCipherInAnotherProcessPicksUpARotationWithoutARestart() {
    TinkFieldCipher node = new TinkFieldCipher(keys);
    TinkFieldCipher administrator = new TinkFieldCipher(keys);
    String old = node.encrypt("MRN-1", "patient/p1/mrn");

    int newKey = administrator.rotate();
    String underNewKey = administrator.reencrypt(old, "patient/p1/mrn");

    assertThat(node.decrypt(underNewKey, "patient/p1/mrn")).isEqualTo("MRN-1");
    assertThat(keyIdOf(node.encrypt("MRN-2", "patient/p2/mrn")))
        .as("the node encrypts with the new key")
        .isEqualTo(newKey);
    assertThat(node.primaryKeyId()).isEqualTo(newKey);
  }

  @Test
  void blindIndexesAreStableSecretAndNormalized() {
    TinkFieldCipher cipher = new TinkFieldCipher(keys);
    String index = cipher.blindIndex("mrn", "MRN-4471");

    assertThat(index).hasSize(64).doesNotContain("4471");
    assertThat(cipher.blindIndex("mrn", " mrn-4471")).isEqualTo(index);
    assertThat(cipher.blindIndex("nhs-number", "MRN-4471")).isNotEqualTo(index);
    cipher.rotate();
    assertThat(new TinkFieldCipher(keys).blindIndex("mrn", "MRN-4471"))
        .as("the index key does not rotate")
        .isEqualTo(index);
    TinkFieldCipher otherKeys = new TinkFieldCipher(keys.resolve("elsewhere"));
    assertThat(otherKeys.blindIndex("mrn", "MRN-4471")).isNotEqualTo(index);
  }

  @Test
  void keyFilesAreReadableByTheOwnerOnly() throws Exception {
    new TinkFieldCipher(keys).rotate();

    for (String file :
        new String[] {TinkFieldCipher.ENCRYPTION_KEYSET, TinkFieldCipher.INDEX_KEYSET}) {
      assertThat(Files.getPosixFilePermissions(keys.resolve(file)).toString())
          .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }
  }

  /** Tink's output prefix: a version byte, then the id of the key that made the ciphertext. */
  private static int keyIdOf(String sealed) {
    byte[] raw = Base64.getDecoder().decode(sealed.substring("tink1:".length()));
    return ((raw[1] & 0xff) << 24)
        | ((raw[2] & 0xff) << 16)
        | ((raw[3] & 0xff) << 8)
        | (raw[4] & 0xff);
  }
}
