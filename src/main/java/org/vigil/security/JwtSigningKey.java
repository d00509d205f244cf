package org.vigil.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

/**
 * The RSA key that signs Vigil's access tokens, kept under the data directory so tokens stay valid
 * across restarts. Created on first start, readable by the owner only.
 */
final class JwtSigningKey {

  private JwtSigningKey() {}

  static RSAKey loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return JWK.parse(Files.readString(file, StandardCharsets.UTF_8)).toRSAKey();
      }
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      Files.createDirectories(file.getParent());
      write(file, key.toJSONString());
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the token signing key " + file, e);
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("the token signing key " + file + " is unusable", e);
    }
  }

  private static void write(Path file, String json) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another process created " + file + " at the same time", e);
    }
    Files.writeString(file, json, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
