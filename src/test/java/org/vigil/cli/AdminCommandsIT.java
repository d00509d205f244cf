package org.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.privacy.TinkFieldCipher;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.VigilProcess;
import org.vigil.testsupport.VigilServerTest;

/**
 * {@code vigil users} and {@code vigil clients} as an administrator runs them next to a running
 * node: what they do takes effect on the node at once, secrets are shown once, and every change is
 * in the audit trail under the administrator's own name.
 */
class AdminCommandsIT extends VigilServerTest {

  private static final Pattern PASSWORD = Pattern.compile("password(?: for \\S+)?: (\\S+)");
  private static final Pattern SECRET = Pattern.compile("secret: (vgc_\\S+)");

  @Autowired UserAccounts users;
  @Autowired PasswordEncoder passwords;
  @Autowired AuditTrail audit;
  @Autowired PatientRepository patients;
  @Autowired JdbcTemplate jdbc;

  private static VigilProcess.Result vigil(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = DATA_DIR.toString();
    return VigilProcess.run(Duration.ofSeconds(90), all);
  }

  private static String find(Pattern pattern, String output) {
    Matcher m = pattern.matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return m.group(1);
  }

  private boolean signsInWith(String username, String password) {
    return passwords.matches(password, users.loadUserByUsername(username).getPassword());
  }

  @Test
  void anAdministratorAddsDisablesAndResetsAUser() {
    VigilProcess.Result added =
        vigil(
            "users",
            "add",
            "cli-nurse",
            "--role",
            "nurse",
            "--name",
            "Night nurse",
            "--ward",
            "4A");
    assertThat(added.exitCode()).as(added.stderr()).isZero();
    String first = find(PASSWORD, added.stdout());
    assertThat(users.find("cli-nurse").orElseThrow().role()).isEqualTo(Role.NURSE);
    assertThat(users.wardsOf("cli-nurse")).containsExactly("4A");
    assertThat(signsInWith("cli-nurse", first)).isTrue();

    VigilProcess.Result reset = vigil("users", "reset-password", "cli-nurse");
    assertThat(reset.exitCode()).as(reset.stderr()).isZero();
    String second = find(PASSWORD, reset.stdout());
    assertThat(signsInWith("cli-nurse", second)).isTrue();
    assertThat(signsInWith("cli-nurse", first)).as("the old password").isFalse();

    VigilProcess.Result disabled = vigil("users", "disable", "cli-nurse");
    assertThat(disabled.exitCode()).as(disabled.stderr()).isZero();
    assertThat(users.find("cli-nurse").orElseThrow().enabled()).isFalse();
    assertThat(users.loadUserByUsername("cli-nurse").isEnabled()).isFalse();

    VigilProcess.Result wrongRole = vigil("users", "add", "cli-x", "--role", "janitor");
    assertThat(wrongRole.exitCode()).isEqualTo(1);
    assertThat(wrongRole.stderr()).contains("--role must be admin, clinician, nurse");

    String administrator = System.getProperty("user.name");
    assertThat(audit.search(AuditQuery.all().byAgent(administrator).page(0, 1000)))
        .extracting(e -> e.entry().what())
        .contains(
            "add user cli-nurse (nurse)",
            "reset password of user cli-nurse",
            "disable user cli-nurse");
  }

  @Test
  void anAdministratorRotatesTheFieldEncryptionKeyAndEverythingMovesToItWhileTheNodeRuns() {
    Patient patient =
        new Patient(
            "rotation-1",
            "MRN-ROT-1",
            "Okafor",
            "Grace",
            Optional.of(LocalDate.of(1948, 3, 9)),
            "female",
            Optional.of("Ward 9"),
            Optional.of("Bed 1"),
            Instant.parse("2026-11-24T10:00:00Z"));
    patients.save(patient);
    users.save(
        new UserAccount("rotation-nurse", Role.NURSE, "Joy Adebayo", Optional.empty(), true), "pw");
    int before = new TinkFieldCipher(DATA_DIR.resolve("keys")).primaryKeyId();

    VigilProcess.Result rotated = vigil("keys", "rotate");

    assertThat(rotated.exitCode()).as(rotated.stderr()).isZero();
    int after = new TinkFieldCipher(DATA_DIR.resolve("keys")).primaryKeyId();
    assertThat(after).isNotEqualTo(before);
    assertThat(rotated.stdout()).contains("key " + before + " -> new primary key " + after);
    Matcher swept =
        Pattern.compile("re-encrypted under key " + after + ": (\\d+) rows rewritten \\((.*)\\)")
            .matcher(rotated.stdout());
    assertThat(swept.find()).as(rotated.stdout()).isTrue();
    // one "n of m <kind>" per kind of sealed record, in the kinds' order
    Map<String, Integer> byKind = new java.util.TreeMap<>();
    Matcher kinds = Pattern.compile("(\\d+) of \\d+ (\\w+)").matcher(swept.group(2));
    while (kinds.find()) {
      byKind.put(kinds.group(2), Integer.parseInt(kinds.group(1)));
    }
    assertThat(byKind).containsKeys("patients", "users", "messages");
    assertThat(byKind.get("patients")).isPositive();
    assertThat(byKind.get("users")).isPositive();
    assertThat(Integer.parseInt(swept.group(1)))
        .isEqualTo(byKind.values().stream().mapToInt(Integer::intValue).sum());
    // every sealed value in the node's database names the new key...
    assertThat(
            jdbc.queryForList(
                "select mrn from patient where mrn_index is not null union all"
                    + " select family_name from patient where mrn_index is not null union all"
                    + " select display_name_sealed from user_account"
                    + " where display_name_sealed is not null",
                String.class))
        .extracting(TinkFieldCipher::keyIdOf)
        .containsOnly(after);
    // ...and the node, never restarted, reads it and encrypts with the new key
    assertThat(patients.find("rotation-1")).contains(patient);
    assertThat(patients.findByMrn("MRN-ROT-1")).contains(patient);
    assertThat(users.find("rotation-nurse")).map(UserAccount::displayName).contains("Joy Adebayo");
    patients.save(
        new Patient(
            "rotation-2",
            "MRN-ROT-2",
            "Reid",
            "Sam",
            Optional.empty(),
            "male",
            Optional.empty(),
            Optional.empty(),
            Instant.parse("2026-11-24T10:00:00Z")));
    assertThat(
            TinkFieldCipher.keyIdOf(
                jdbc.queryForObject(
                    "select mrn from patient where id = 'rotation-2'", String.class)))
        .isEqualTo(after);

    VigilProcess.Result again = vigil("keys", "reencrypt", "--batch-size", "2");
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout()).contains("re-encrypted under key " + after + ": 0 rows rewritten");

    VigilProcess.Result badBatch = vigil("keys", "reencrypt", "--batch-size", "0");
    assertThat(badBatch.exitCode()).isEqualTo(1);
    assertThat(badBatch.stderr()).contains("--batch-size must be at least 1");
  }

  @Test
  void anAdministratorAddsAndRevokesAClient() {
    VigilProcess.Result added =
        vigil("clients", "add", "cli-ehr", "--scope", "system/Patient.rs,system/Observation.rs");
    assertThat(added.exitCode()).as(added.stderr()).isZero();
    String secret = find(SECRET, added.stdout());
    assertThat(api().token("cli-ehr", secret, null)).isNotBlank();

    VigilProcess.Result listed = vigil("clients", "list");
    assertThat(listed.stdout())
        .containsPattern("cli-ehr\\s+yes\\s+system/Patient.rs system/Observation.rs");
    assertThat(listed.stdout()).doesNotContain(secret);

    VigilProcess.Result revoked = vigil("clients", "revoke", "cli-ehr");
    assertThat(revoked.exitCode()).as(revoked.stderr()).isZero();
    assertThatThrownBy(() -> api().token("cli-ehr", secret, null)).hasMessageContaining("401");

    VigilProcess.Result badScope = vigil("clients", "add", "cli-bad", "--scope", "everything");
    assertThat(badScope.exitCode()).isEqualTo(1);
    assertThat(badScope.stderr()).contains("not a SMART scope: everything");
  }
}
