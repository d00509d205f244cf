package org.vigil.fhir;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;

/**
 * The people who care for patients — Vigil's nurses and clinicians — with the wards they work on:
 * what the Practitioner and PractitionerRole resources are made of. Read from the user accounts on
 * every request (display names are stored encrypted, so there is no index to search them by); a
 * hospital's staff are thousands at most.
 */
@Component
class StaffDirectory {

  /** Identifier system of Vigil usernames, which are also the Practitioner ids. */
  static final String USERNAME_SYSTEM = "urn:vigil:username";

  static final String ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/practitioner-role";

  /**
   * A nurse or clinician.
   *
   * @param account their user account
   * @param wards the wards they work on, by name
   */
  record Member(UserAccount account, SortedSet<String> wards) {

    String id() {
      return account.username();
    }

    Reference reference() {
      return new Reference("Practitioner/" + id()).setDisplay(account.displayName());
    }

    /** Their role as HL7's practitioner-role code, with Vigil's own name for it as the text. */
    CodeableConcept role() {
      String code = account.role() == Role.NURSE ? "nurse" : "doctor";
      String display = account.role() == Role.NURSE ? "Nurse" : "Doctor";
      return new CodeableConcept(new Coding(ROLE_SYSTEM, code, display))
          .setText(account.role().label());
    }
  }

  private final UserAccounts users;

  StaffDirectory(UserAccounts users) {
    this.users = users;
  }

  List<Member> all() {
    Map<String, SortedSet<String>> wards = users.wardsByUser();
    return users.all().stream()
        .filter(StaffDirectory::caresForPatients)
        .map(u -> new Member(u, wards.getOrDefault(u.username(), new TreeSet<>())))
        .toList();
  }

  Optional<Member> find(String username) {
    return users
        .find(username)
        .filter(StaffDirectory::caresForPatients)
        .map(u -> new Member(u, new TreeSet<>(users.wardsOf(u.username()))));
  }

  private static boolean caresForPatients(UserAccount user) {
    return user.role() == Role.NURSE || user.role() == Role.CLINICIAN;
  }

  /**
   * FHIR string search: the text matches if the name or any of its words starts with it, ignoring
   * case and accents; {@code exact} compares the whole name.
   */
  static boolean nameMatches(String name, String text, boolean exact) {
    if (exact) {
      return name.equals(text);
    }
    String wanted = folded(text);
    String folded = folded(name);
    if (folded.startsWith(wanted)) {
      return true;
    }
    for (String word : folded.split("[\\s-]+")) {
      if (word.startsWith(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static String folded(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT);
  }
}
