package org.vigil.ingest;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.vigil.api.ApiException;

/** Readings from a device that serves no patient have nowhere to go; the sender must know. */
public final class DeviceNotAssignedException extends ApiException {

  public DeviceNotAssignedException(String deviceId) {
    super(
        HttpStatus.CONFLICT,
        IssueType.BUSINESSRULE,
        "device " + deviceId + " is not assigned to a patient; assign it before it sends readings");
  }
}
