package org.vigil.privacy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Field encryption with Google Tink: AES-256-GCM through a keyset, so keys rotate without
 * re-encrypting anything — each ciphertext names the key that made it, old keys stay in the keyset
 * to decrypt, and the newest (primary) key encrypts. Blind indexes are HMAC-SHA256 with a separate
 * key that does not rotate (rotating it would mean recomputing every index). Both keysets live
 * under {@code <data-dir>/keys}, readable only by Vigil's user.
 */
public final class TinkFieldCipher implements FieldCipher {

  static final String ENCRYPTION_KEYSET = "field-encryption-keyset.json";
  static final String INDEX_KEYSET = "blind-index-keyset.json";
  private static final String PREFIX = "tink1:";

  private final Path directory;
  private volatile Aead aead;
  private final PrfSet prf;

  public TinkFieldCipher(Path keyDirectory) {
    this.directory = keyDirectory;
    try {
      AeadConfig.register();
      PrfConfig.register();
      Files.createDirectories(keyDirectory);
      this.aead =
          loadOrCreate(directory.resolve(ENCRYPTION_KEYSET), PredefinedAeadParameters.AES256_GCM)
              .getPrimitive(RegistryConfiguration.get(), Aead.class);
      this.prf =
          loadOrCreate(directory.resolve(INDEX_KEYSET), PredefinedPrfParameters.HMAC_SHA256_PRF)
              .getPrimitive(RegistryConfiguration.get(), PrfSet.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot load the field encryption keys in " + keyDirectory, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the field encryption keys in " + keyDirectory, e);
    }
  }

  @Override
  public String encrypt(String plaintext, String context) {
    try {
      byte[] sealed =
          aead.encrypt(
              plaintext.getBytes(StandardCharsets.UTF_8), context.getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getEncoder().encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt " + context, e);
    }
  }

  @Override
  public String decrypt(String ciphertext, String context) {
    if (!isCiphertext(ciphertext)) {
      throw new IllegalStateException(context + " is not encrypted");
    }
    try {
      byte[] opened =
          aead.decrypt(
              Base64.getDecoder().decode(ciphertext.substring(PREFIX.length())),
              context.getBytes(StandardCharsets.UTF_8));
      return new String(opened, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // never the value itself in the message: it is patient data
      throw new IllegalStateException(
          context + " does not decrypt: altered, moved from another record, or an unknown key");
    }
  }

  @Override
  public boolean isCiphertext(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  @Override
  public String blindIndex(String kind, String value) {
    String normalized = kind + ":" + value.strip().toUpperCase(Locale.ROOT);
    try {
      return HexFormat.of()
          .formatHex(prf.computePrimary(normalized.getBytes(StandardCharsets.UTF_8), 32));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot compute a blind index", e);
    }
  }

  /**
   * Adds a new encryption key and makes it the one that encrypts from now on; the old keys stay to
   * decrypt what they made. Returns the new key's id.
   */
  public synchronized int rotate() {
    Path file = directory.resolve(ENCRYPTION_KEYSET);
    try {
      KeysetHandle current =
          TinkJsonProtoKeysetFormat.parseKeyset(
              Files.readString(file), InsecureSecretKeyAccess.get());
      KeysetHandle rotated =
          KeysetHandle.newBuilder(current)
              .addEntry(
                  KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                      .withRandomId()
                      .makePrimary())
              .build();
      write(file, rotated);
      aead = rotated.getPrimitive(RegistryConfiguration.get(), Aead.class);
      return rotated.getPrimary().getId();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot rotate the field encryption key", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the field encryption keyset", e);
    }
  }

  /** The id of the key that encrypts now. */
  public int primaryKeyId() {
    try {
      return TinkJsonProtoKeysetFormat.parseKeyset(
              Files.readString(directory.resolve(ENCRYPTION_KEYSET)), InsecureSecretKeyAccess.get())
          .getPrimary()
          .getId();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the field encryption keyset", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeysetHandle loadOrCreate(Path file, com.google.crypto.tink.Parameters parameters)
      throws GeneralSecurityException, IOException {
    if (Files.exists(file)) {
      return TinkJsonProtoKeysetFormat.parseKeyset(
          Files.readString(file), InsecureSecretKeyAccess.get());
    }
    KeysetHandle created = KeysetHandle.generateNew(parameters);
    write(file, created);
    return created;
  }

  /** Writes a keyset readable by the owner only, replacing the old file in one step. */
  private static void write(Path file, KeysetHandle keyset)
      throws GeneralSecurityException, IOException {
    Path temporary =
        Files.createTempFile(
            file.getParent(),
            ".keyset",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        temporary,
        TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()));
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
