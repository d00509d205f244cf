package org.vigil.device;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.audit.ChangeAudit;
import org.vigil.node.NodeProperties;

/**
 * Vigil's own device certificate authority, kept under {@code <data-dir>/ca}: it signs the MQTT
 * server's TLS certificate and the client certificates devices authenticate with (mutual TLS).
 * Every certificate it issues to a device is recorded; a certificate is accepted at connect only
 * while it is recorded, unrevoked, unexpired and its device is not revoked — so a revocation takes
 * effect on the device's next connect.
 *
 * <p>Keys are ECDSA P-256 and signatures SHA-256, which every TLS 1.2+ stack and device SDK
 * supports.
 */
public final class DeviceCertificateAuthority {

  static final String CA_KEY = "ca.key";
  static final String CA_CERT = "ca.crt";
  static final String SERVER_KEYSTORE = "mqtt-server.p12";
  static final String TRUSTSTORE = "ca-truststore.p12";
  static final String STORE_PASSWORD = "store.password";

  private final Path directory;
  private final JdbcTemplate jdbc;
  private final ChangeAudit audit;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final char[] storePassword;

  DeviceCertificateAuthority(NodeProperties node, JdbcTemplate jdbc, ChangeAudit audit) {
    this(node.dataDir().resolve("ca"), jdbc, audit, Clock.systemUTC());
  }

  DeviceCertificateAuthority(Path directory, JdbcTemplate jdbc, ChangeAudit audit, Clock clock) {
    this.directory = directory;
    this.jdbc = jdbc;
    this.audit = audit;
    this.clock = clock;
    try {
      Files.createDirectories(directory);
      if (Files.exists(directory.resolve(CA_KEY)) && Files.exists(directory.resolve(CA_CERT))) {
        caKeys = readKeyPair(directory.resolve(CA_KEY));
        caCertificate = readCertificate(directory.resolve(CA_CERT));
      } else {
        caKeys = newKeyPair();
        caCertificate = selfSigned(caKeys);
        writePrivate(directory.resolve(CA_KEY), pem(caKeys.getPrivate()));
        writePublic(directory.resolve(CA_CERT), pem(caCertificate));
      }
      Path password = directory.resolve(STORE_PASSWORD);
      if (!Files.exists(password)) {
        writePrivate(password, HexFormat.of().formatHex(randomBytes(16)));
      }
      storePassword = Files.readString(password).strip().toCharArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the device CA in " + directory, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot set up the device CA in " + directory, e);
    }
  }

  /** A certificate and its private key, PEM-encoded, with the CA chain to trust. */
  public record IssuedCertificate(
      String deviceId,
      String serial,
      Instant notAfter,
      String certificatePem,
      String privateKeyPem,
      String caCertificatePem) {
    @Override
    public String toString() {
      return "IssuedCertificate[deviceId=" + deviceId + ", serial=" + serial + "]";
    }
  }

  /** The TLS material for the MQTT server: its keystore and a truststore holding this CA. */
  public record ServerTls(Path keystore, Path truststore, String password) {
    @Override
    public String toString() {
      return "ServerTls[keystore=" + keystore + ", truststore=" + truststore + "]";
    }
  }

  /** Issues a client certificate for a device (CN = device id) and records it. */
  public IssuedCertificate issue(String deviceId, Duration validity) {
    Device.requireValidId(deviceId);
    try {
      KeyPair keys = newKeyPair();
      Instant notBefore = clock.instant().minus(Duration.ofMinutes(5)); // tolerate clock skew
      Instant notAfter = clock.instant().plus(validity);
      BigInteger serial = new BigInteger(1, randomBytes(16));
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              caCertificate,
              serial,
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Principal("CN=" + deviceId + ",O=Vigil devices"),
              keys.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(caCertificate));
      X509Certificate certificate = sign(builder);
      String serialHex = serial.toString(16);
      jdbc.update(
          "insert into device_certificate (serial, device_id, not_before, not_after, issued_at)"
              + " values (?, ?, ?, ?, ?)",
          serialHex,
          deviceId,
          utc(notBefore),
          utc(notAfter),
          utc(clock.instant()));
      audit.changed(
          "device", "C", "issue certificate " + serialHex + " to device " + deviceId, Set.of());
      return new IssuedCertificate(
          deviceId,
          serialHex,
          notAfter,
          pem(certificate),
          pem(keys.getPrivate()),
          pem(caCertificate));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + deviceId, e);
    }
  }

  /** Revokes one certificate; the device holding it is refused from its next connect on. */
  public void revoke(String serial) {
    int updated =
        jdbc.update(
            "update device_certificate set revoked_at = ? where serial = ? and revoked_at is null",
            utc(clock.instant()),
            serial.toLowerCase(Locale.ROOT));
    if (updated == 0) {
      throw new IllegalArgumentException("no unrevoked certificate with serial " + serial);
    }
    audit.changed("device", "U", "revoke certificate " + serial.toLowerCase(Locale.ROOT), Set.of());
  }

  /**
   * The device a client certificate authenticates, if it does: issued by this CA (the TLS handshake
   * has checked the signature and validity), recorded, not revoked, and naming a device whose
   * credentials are not revoked.
   */
  public Optional<String> authenticate(X509Certificate certificate) {
    try {
      certificate.checkValidity(Date.from(clock.instant()));
      certificate.verify(caKeys.getPublic());
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
    String deviceId = commonName(certificate);
    if (!Device.isValidId(deviceId)) {
      return Optional.empty();
    }
    Long valid =
        jdbc.queryForObject(
            "select count(*) from device_certificate c join device d on d.id = c.device_id"
                + " where c.serial = ? and c.device_id = ? and c.revoked_at is null"
                + " and d.revoked_at is null",
            Long.class,
            certificate.getSerialNumber().toString(16),
            deviceId);
    return valid != null && valid > 0 ? Optional.of(deviceId) : Optional.empty();
  }

  /** Certificates issued to a device, newest first, by serial. */
  public List<String> serials(String deviceId) {
    return jdbc.queryForList(
        "select serial from device_certificate where device_id = ? order by issued_at desc",
        String.class,
        deviceId);
  }

  /**
   * The MQTT server's TLS keystore (a certificate for this host, signed by the CA, renewed when
   * less than 30 days remain) and a truststore with the CA, for verifying device certificates.
   */
  public ServerTls serverTls(List<String> hostNames) {
    Path keystore = directory.resolve(SERVER_KEYSTORE);
    Path truststore = directory.resolve(TRUSTSTORE);
    try {
      if (!Files.exists(keystore) || expiresWithin(keystore, Duration.ofDays(30))) {
        KeyPair keys = newKeyPair();
        X509Certificate certificate = serverCertificate(keys, hostNames);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
            "vigil-mqtt",
            keys.getPrivate(),
            storePassword,
            new X509Certificate[] {certificate, caCertificate});
        save(store, keystore);
      }
      if (!Files.exists(truststore)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("vigil-device-ca", caCertificate);
        save(store, truststore);
      }
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the MQTT server's TLS keystore", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the MQTT server's TLS keystore", e);
    }
    return new ServerTls(keystore, truststore, new String(storePassword));
  }

  public String caCertificatePem() {
    try {
      return pem(caCertificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a device certificate, its key and the CA chain as {@code <id>.crt, <id>.key, ca.crt}.
   */
  public static List<Path> write(IssuedCertificate issued, Path directory) throws IOException {
    Files.createDirectories(directory);
    Path key = directory.resolve(issued.deviceId() + ".key");
    Path cert = directory.resolve(issued.deviceId() + ".crt");
    Path ca = directory.resolve("ca.crt");
    writePrivate(key, issued.privateKeyPem());
    writePublic(cert, issued.certificatePem());
    writePublic(ca, issued.caCertificatePem());
    return List.of(key, cert, ca);
  }

  private X509Certificate serverCertificate(KeyPair keys, List<String> hostNames)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = clock.instant();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            caCertificate,
            new BigInteger(1, randomBytes(16)),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(825))),
            new X500Principal("CN=" + hostNames.getFirst() + ",O=Vigil"),
            keys.getPublic());
    List<GeneralName> names = new ArrayList<>();
    for (String host : hostNames) {
      boolean ip = host.matches("[0-9.]+") || host.contains(":");
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(names.toArray(GeneralName[]::new)));
    return sign(builder);
  }

  private X509Certificate selfSigned(KeyPair keys)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = clock.instant();
    X500Principal subject = new X500Principal("CN=Vigil Device CA,O=Vigil");
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(1, randomBytes(16)),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(3650))),
            subject,
            keys.getPublic());
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    builder.addExtension(
        Extension.subjectKeyIdentifier,
        false,
        extensions.createSubjectKeyIdentifier(keys.getPublic()));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private X509Certificate sign(X509v3CertificateBuilder builder)
      throws GeneralSecurityException, OperatorCreationException {
    X509CertificateHolder holder =
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private boolean expiresWithin(Path keystore, Duration margin) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(keystore)) {
        store.load(in, storePassword);
      }
      X509Certificate certificate = (X509Certificate) store.getCertificate("vigil-mqtt");
      return certificate == null
          || certificate.getNotAfter().toInstant().isBefore(clock.instant().plus(margin));
    } catch (IOException | GeneralSecurityException e) {
      return true; // unreadable: make a new one
    }
  }

  private void save(KeyStore store, Path file) throws IOException, GeneralSecurityException {
    Path temporary = Files.createTempFile(directory, ".store", ".tmp");
    try (OutputStream out = Files.newOutputStream(temporary)) {
      store.store(out, storePassword);
    }
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String commonName(X509Certificate certificate) {
    X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    var cn = name.getRDNs(BCStyle.CN);
    return cn.length == 0 ? "" : IETFUtils.valueToString(cn[0].getFirst().getValue());
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static KeyPair readKeyPair(Path file) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
      Object read = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (read instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair);
      }
      if (read instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
        PrivateKey key = converter.getPrivateKey(info);
        X509Certificate certificate = readCertificate(file.resolveSibling(CA_CERT));
        return new KeyPair(certificate.getPublicKey(), key);
      }
      throw new IOException(file + " holds no private key");
    }
  }

  private static X509Certificate readCertificate(Path file) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
      Object read = parser.readObject();
      if (read instanceof X509CertificateHolder holder) {
        return new JcaX509CertificateConverter().getCertificate(holder);
      }
      throw new IOException(file + " holds no certificate");
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " holds an unreadable certificate", e);
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      // Private keys as PKCS#8 ("PRIVATE KEY"), which OpenSSL, mosquitto and Java all read.
      writer.writeObject(
          object instanceof PrivateKey key
              ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null)
              : object);
    }
    return text.toString();
  }

  private byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static void writePublic(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** This host's names, for the server certificate: localhost, loopback and the host name. */
  public static List<String> localHostNames() {
    List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
    try {
      String host = InetAddress.getLocalHost().getHostName();
      if (!names.contains(host)) {
        names.add(host);
      }
    } catch (UnknownHostException e) {
      // loopback names suffice
    }
    return names;
  }
}
