package org.vigil.testsupport;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;

/** Registers patients and devices for a test, as an administrator would. */
public record TestWard(PatientRepository patients, DeviceRegistry devices) {

  /** Assignments in tests start early enough for any reading the tests send. */
  public static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");

  public void patient(String id) {
    patients.save(
        new Patient(
            id,
            "MRN-" + id,
            "Lindqvist",
            "Oscar",
            Optional.of(LocalDate.of(1944, 7, 1)),
            "male",
            Optional.of("Ward 7B"),
            Optional.of("Bed 9"),
            Instant.now()));
  }

  /** Registers a device assigned to the patient (registered too) and returns its token. */
  public String device(String deviceId, String type, String patientId) {
    if (patients.find(patientId).isEmpty()) {
      patient(patientId);
    }
    String token = devices.register(deviceId, type, deviceId).token();
    devices.assign(deviceId, patientId, SINCE);
    return token;
  }
}
