package org.vigil.device;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A device serving a patient over a period: readings taken in {@code [start, end)} belong to the
 * patient.
 */
public record DeviceAssignment(
    String deviceId, String patientId, Instant start, Optional<Instant> end) {

  public DeviceAssignment {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(patientId, "patientId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  public boolean covers(Instant time) {
    return !time.isBefore(start) && end.map(time::isBefore).orElse(true);
  }

  public boolean isCurrent() {
    return end.isEmpty();
  }
}
