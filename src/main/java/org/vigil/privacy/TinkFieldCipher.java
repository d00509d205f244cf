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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Field encryption with Google Tink: AES-256-GCM through a keyset, so keys rotate without
 * re-encrypting anything at once — each ciphertext names the key that made it, old keys stay in the
 * keyset to decrypt, and the newest (primary) key encrypts; {@link #reencrypt} moves a value to the
 * primary key afterwards. Blind indexes are HMAC-SHA256 with a separate key that does not rotate
 * (rotating it would mean recomputing every index). Both keysets live under {@code
 * <data-dir>/keys}, readable only by Vigil's user.
 *
 * <p>Another process (the {@code vigil keys} command next to a running node) may rotate the keyset
 * file. This cipher notices: before it encrypts it checks whether the file was replaced, and when a
 * value does not decrypt it looks again before giving up. So a node that keeps running encrypts
 * with the new key and reads what was re-encrypted under it.
 */
public final class TinkFieldCipher implements FieldCipher {

  static final String ENCRYPTION_KEYSET = "field-encryption-keyset.json";
  static final String INDEX_KEYSET = "blind-index-keyset.json";
  private static final String PREFIX = "tink1:";

  private final Path directory;
  private volatile Keys keys;
  private final PrfSet prf;

  /** The encryption keyset as last read, with what identified its file then. */
  private record Keys(Aead aead, int primaryId, Object fileKey, FileTime modified) {}

  public TinkFieldCipher(Path keyDirectory) {
    this.directory = keyDirectory;
    try {
      AeadConfig.register();
      PrfConfig.register();
      Files.createDirectories(keyDirectory);
      loadOrCreate(directory.resolve(ENCRYPTION_KEYSET), PredefinedAeadParameters.AES256_GCM);
      this.keys = read(directory.resolve(ENCRYPTION_KEYSET));
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
    return encrypt(plaintext, context, fresh());
  }

  private static String encrypt(String plaintext, String context, Keys keys) {
    try {
      byte[] sealed =
          keys.aead()
              .encrypt(
                  plaintext.getBytes(StandardCharsets.UTF_8),
                  context.getBytes(StandardCharsets.UTF_8));
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
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(ciphertext.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw doesNotDecrypt(context);
    }
    byte[] associated = context.getBytes(StandardCharsets.UTF_8);
    try {
      return new String(keys.aead().decrypt(raw, associated), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      // perhaps made with a key another process added since this one read the keyset
      Keys again = fresh();
      try {
        return new String(again.aead().decrypt(raw, associated), StandardCharsets.UTF_8);
      } catch (GeneralSecurityException stillNot) {
        throw doesNotDecrypt(context);
      }
    }
  }

  @Override
  public String reencrypt(String ciphertext, String context) {
    Keys current = fresh();
    if (keyIdOf(ciphertext) == current.primaryId()) {
      // decrypting anyway checks that the value belongs where it is stored
      decrypt(ciphertext, context);
      return ciphertext;
    }
    return encrypt(decrypt(ciphertext, context), context, current);
  }

  /**
   * The id of the key that made a ciphertext of this cipher: Tink puts a version byte and then the
   * key's id (4 bytes, big-endian) before every ciphertext.
   *
   * @throws IllegalStateException when the value is not such a ciphertext
   */
  public static int keyIdOf(String ciphertext) {
    byte[] raw = new byte[0];
    if (ciphertext != null && ciphertext.startsWith(PREFIX) && ciphertext.length() >= 14) {
      try {
        // 8 characters of Base64 are the first 6 bytes
        raw = Base64.getDecoder().decode(ciphertext.substring(PREFIX.length(), 14));
      } catch (IllegalArgumentException e) {
        raw = new byte[0];
      }
    }
    if (raw.length < 5 || raw[0] != 1) {
      throw new IllegalStateException("not a field ciphertext");
    }
    return ((raw[1] & 0xff) << 24)
        | ((raw[2] & 0xff) << 16)
        | ((raw[3] & 0xff) << 8)
        | (raw[4] & 0xff);
  }

  // never the value itself in the message: it is patient data
  private static IllegalStateException doesNotDecrypt(String context) {
    return new IllegalStateException(
        context + " does not decrypt: altered, moved from another record, or an unknown key");
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
      keys = read(file);
      return keys.primaryId();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot rotate the field encryption key", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the field encryption keyset", e);
    }
  }

  /** The id of the key that encrypts now. */
  public int primaryKeyId() {
    return fresh().primaryId();
  }

  /**
   * The keyset as it is now on disk: read again when its file was replaced (a rotation writes a new
   * file and moves it over the old one, so the file's identity changes).
   */
  private Keys fresh() {
    Path file = directory.resolve(ENCRYPTION_KEYSET);
    Keys known = keys;
    try {
      BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
      if (Objects.equals(now.fileKey(), known.fileKey())
          && now.lastModifiedTime().equals(known.modified())) {
        return known;
      }
      synchronized (this) {
        keys = read(file);
        return keys;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the field encryption keyset", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the field encryption keyset", e);
    }
  }

  private static Keys read(Path file) throws GeneralSecurityException, IOException {
    // the attributes first: if the file is replaced meanwhile, the next look reads it again
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    KeysetHandle keyset =
        TinkJsonProtoKeysetFormat.parseKeyset(
            Files.readString(file), InsecureSecretKeyAccess.get());
    return new Keys(
        keyset.getPrimitive(RegistryConfiguration.get(), Aead.class),
        keyset.getPrimary().getId(),
        attributes.fileKey(),
        attributes.lastModifiedTime());
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
