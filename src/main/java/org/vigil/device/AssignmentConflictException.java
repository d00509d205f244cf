package org.vigil.device;

import java.time.Instant;

/** An assignment may not start before the device's previous assignment ended. */
public final class AssignmentConflictException extends RuntimeException {
  public AssignmentConflictException(String deviceId, Instant from, Instant previousBoundary) {
    super(
        "device "
            + deviceId
            + " cannot be assigned from "
            + from
            + ": its previous assignment runs until "
            + previousBoundary);
  }
}
