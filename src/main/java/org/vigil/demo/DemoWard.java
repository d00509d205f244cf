package org.vigil.demo;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.simulate.DeviceKind;

/**
 * Seeds the demo ward — patients, their devices, staff and patient accounts, an integration client
 * — or, on a restart, finds what an earlier run seeded and keeps using its credentials. Everything
 * is made through the same registries an administrator would use.
 */
@Component
class DemoWard {

  static final String INTEGRATION_CLIENT = "demo-integration";
  static final List<String> INTEGRATION_SCOPES = List.of("system/*.rs");
  static final String WARD = "Ward 7B";

  /** The demo ward's nurse, who also records the observation rounds ({@link NurseRounds}). */
  static final String NURSE = "nurse";

  /** What each bed has: the simulator plays other kinds too, the demo's ward has these. */
  static final List<DeviceKind> WARD_DEVICES =
      List.of(DeviceKind.BEDSIDE_MONITOR, DeviceKind.TEMPERATURE_PATCH);

  /** How long ago the demo's devices were put on their beds. */
  static final Duration ON_THE_WARD_SINCE = Duration.ofDays(7);

  /** Patient accounts are made for the first few patients only: bcrypt is slow by design. */
  static final int PATIENT_ACCOUNTS = 10;

  private static final String[] GIVEN = {
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Grace", "Leo", "Freya",
    "Oscar", "Lily", "Harry", "Evie", "Jack", "Rosie", "Theo", "Ivy", "Alfie"
  };
  private static final String[] FAMILY = {
    "Hughes",
    "Patel",
    "Okafor",
    "Nowak",
    "Fraser",
    "Lindqvist",
    "Moreau",
    "Costa",
    "Brennan",
    "Yilmaz",
    "Kowalski",
    "Sato",
    "Achebe",
    "Duarte",
    "Holm",
    "Rossi",
    "Murphy",
    "Chen",
    "Singh"
  };

  private final PatientRepository patients;
  private final DeviceRegistry devices;
  private final UserAccounts users;
  private final ClientRegistry clients;
  private final SecureRandom random = new SecureRandom();

  DemoWard(
      PatientRepository patients,
      DeviceRegistry devices,
      UserAccounts users,
      ClientRegistry clients) {
    this.patients = patients;
    this.devices = devices;
    this.users = users;
    this.clients = clients;
  }

  /**
   * Makes sure the ward of {@code patientCount} patients exists and returns its credentials,
   * reusing those of {@code saved} wherever they still apply.
   */
  DemoCredentials prepare(
      int patientCount, Map<String, String> urls, Optional<DemoCredentials> saved) {
    Map<String, DemoCredentials.User> savedUsers =
        byKey(saved.map(DemoCredentials::users), DemoCredentials.User::username);
    Map<String, DemoCredentials.DeviceEntry> savedDevices =
        byKey(saved.map(DemoCredentials::devices), DemoCredentials.DeviceEntry::deviceId);
    Map<String, DemoCredentials.Client> savedClients =
        byKey(saved.map(DemoCredentials::clients), DemoCredentials.Client::clientId);

    List<DemoCredentials.User> userList = new ArrayList<>();
    List<DemoCredentials.DeviceEntry> deviceList = new ArrayList<>();
    userList.add(user(NURSE, Role.NURSE, "Nurse Joy Adeyemi", null, savedUsers));
    userList.add(user("doctor", Role.CLINICIAN, "Dr Sam Whitfield", null, savedUsers));
    userList.add(user("admin", Role.ADMIN, "Vigil Administrator", null, savedUsers));
    // The ward's staff see the ward's patients.
    for (String staff : List.of("nurse", "doctor")) {
      if (!users.wardsOf(staff).contains(WARD)) {
        users.setWards(staff, Set.of(WARD));
      }
    }
    for (int i = 1; i <= patientCount; i++) {
      String patientId = String.format("patient-%03d", i);
      ensurePatient(patientId, i);
      for (DeviceKind kind : WARD_DEVICES) {
        deviceList.add(device(kind, patientId, i, savedDevices));
      }
      if (i <= PATIENT_ACCOUNTS) {
        userList.add(user(patientId, Role.PATIENT, nameOf(i), patientId, savedUsers));
      }
    }
    List<DemoCredentials.Client> clientList =
        List.of(integrationClient(savedClients.get(INTEGRATION_CLIENT)));
    return new DemoCredentials(urls, userList, clientList, deviceList);
  }

  private void ensurePatient(String patientId, int index) {
    if (patients.find(patientId).isPresent()) {
      return;
    }
    String given = GIVEN[(index - 1) % GIVEN.length];
    String family = FAMILY[(index * 7) % FAMILY.length];
    patients.save(
        new Patient(
            patientId,
            String.format("MRN-%06d", 400_000 + index * 37),
            family,
            given,
            Optional.of(LocalDate.of(1935 + (index * 13) % 60, 1 + index % 12, 1 + index % 28)),
            index % 2 == 0 ? "male" : "female",
            Optional.of(WARD),
            Optional.of("Bed " + index),
            Instant.now()));
  }

  private DemoCredentials.DeviceEntry device(
      DeviceKind kind,
      String patientId,
      int index,
      Map<String, DemoCredentials.DeviceEntry> saved) {
    String prefix = kind == DeviceKind.BEDSIDE_MONITOR ? "monitor" : "temp";
    String deviceId = String.format("%s-%03d", prefix, index);
    DemoCredentials.DeviceEntry known = saved.get(deviceId);
    String token;
    if (devices.find(deviceId).isEmpty()) {
      String displayName =
          (kind == DeviceKind.BEDSIDE_MONITOR ? "Bedside monitor" : "Temperature patch")
              + ", bed "
              + index;
      token = devices.register(deviceId, kind.type(), displayName).token();
      if (known != null) {
        devices.restoreToken(deviceId, known.token());
        token = known.token();
      }
      // On the bed for a while already, so that './vigil simulate' can replay a day's history
      // through these devices: readings from before an assignment find no patient.
      devices.assign(deviceId, patientId, Instant.now().minus(ON_THE_WARD_SINCE));
    } else if (known != null) {
      token = known.token();
    } else {
      // The credentials file was lost: the old token cannot be recovered, so issue a new one.
      token = devices.rotateToken(deviceId).token();
    }
    return new DemoCredentials.DeviceEntry(deviceId, token, patientId, kind.type());
  }

  private DemoCredentials.User user(
      String username,
      Role role,
      String displayName,
      String patientId,
      Map<String, DemoCredentials.User> saved) {
    DemoCredentials.User known = saved.get(username);
    boolean exists = users.find(username).isPresent();
    String password = known != null ? known.password() : secret(12);
    if (!exists || known == null) {
      users.save(
          new UserAccount(username, role, displayName, Optional.ofNullable(patientId), true),
          password);
    }
    return new DemoCredentials.User(username, password, role.label(), patientId);
  }

  private DemoCredentials.Client integrationClient(DemoCredentials.Client known) {
    String description = "Demo integration client: system-level read of all data";
    String secret;
    if (known != null) {
      secret = known.clientSecret();
      if (!clients.exists(INTEGRATION_CLIENT)) {
        clients.restore(INTEGRATION_CLIENT, secret, Set.copyOf(INTEGRATION_SCOPES), description);
      }
    } else if (clients.exists(INTEGRATION_CLIENT)) {
      secret = "vgc_" + secret(32);
      clients.restore(INTEGRATION_CLIENT, secret, Set.copyOf(INTEGRATION_SCOPES), description);
    } else {
      secret = clients.register(INTEGRATION_CLIENT, Set.copyOf(INTEGRATION_SCOPES), description);
    }
    return new DemoCredentials.Client(INTEGRATION_CLIENT, secret, INTEGRATION_SCOPES);
  }

  private static String nameOf(int index) {
    return GIVEN[(index - 1) % GIVEN.length] + " " + FAMILY[(index * 7) % FAMILY.length];
  }

  private String secret(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static <T> Map<String, T> byKey(Optional<List<T>> list, Function<T, String> key) {
    return list.orElse(List.of()).stream()
        .collect(Collectors.toMap(key, Function.identity(), (a, b) -> a));
  }
}
