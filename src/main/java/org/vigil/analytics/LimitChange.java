package org.vigil.analytics;

import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.vigil.api.ApiException;

/**
 * A clinician's change to an alarm limit, for a patient or a ward, as sent: {@code {"low": 88,
 * "high": 92, "reason": "COPD: target range"}}.
 */
record LimitChange(Double low, Double high, String reason) {

  /**
   * The limit this change asks for.
   *
   * @throws ApiException 400 naming what is wrong: a vital Vigil does not alarm on, no end, an end
   *     that is not a number, ends the wrong way round, a reason too long
   */
  static AlarmLimit requested(String code, LimitChange change, AlarmLimit.Source source) {
    if (!AlarmLimits.limitable(code)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.NOTSUPPORTED,
          "code: alarm limits are set for heart rate, respiratory rate, SpO2, blood pressure and"
              + " temperature, not "
              + code);
    }
    if (change == null || (change.low() == null && change.high() == null)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "low, high: give at least one of them");
    }
    if ((change.low() != null && !Double.isFinite(change.low()))
        || (change.high() != null && !Double.isFinite(change.high()))) {
      throw new ApiException(HttpStatus.BAD_REQUEST, IssueType.INVALID, "low, high: numbers");
    }
    if (change.reason() != null && change.reason().length() > 500) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.TOOLONG, "reason: at most 500 characters");
    }
    try {
      return new AlarmLimit(
          code, Optional.ofNullable(change.low()), Optional.ofNullable(change.high()), source);
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, IssueType.INVALID, e.getMessage());
    }
  }

  /** A limit as the API shows it; {@code source} is personal, ward or default. */
  record View(String code, Double low, Double high, boolean personal, String source) {
    static View of(AlarmLimit l) {
      return new View(
          l.code(), l.low().orElse(null), l.high().orElse(null), l.personal(), l.source().label());
    }
  }
}
