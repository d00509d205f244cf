package org.vigil.ingest;

import java.time.Instant;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.vigil.api.ApiException;

/** Readings from a device that served no patient at their time have nowhere to go. */
public final class DeviceNotAssignedException extends ApiException {

  public DeviceNotAssignedException(String deviceId, Instant readingTime) {
    super(
        HttpStatus.CONFLICT,
        IssueType.BUSINESSRULE,
        "device "
            + deviceId
            + " was not assigned to a patient at "
            + readingTime
            + "; assign it (from that time) and replay the dead letter");
  }
}
