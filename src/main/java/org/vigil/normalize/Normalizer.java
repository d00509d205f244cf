package org.vigil.normalize;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.measurement.MeasurementIds;
import org.vigil.measurement.MeasurementType;
import org.vigil.measurement.UnitConversion;

/**
 * Turns device readings into canonical measurements: LOINC code from the catalog, value converted
 * to the catalog's UCUM unit, time truncated to the millisecond (FHIR's precision), a fresh id.
 * All-or-nothing: one bad reading rejects the message, so a device never has half a message stored
 * and a retry after the fix cannot duplicate the good half.
 */
public final class Normalizer {

  /** Readings older than this come from a device clock that was never set. */
  static final Instant EARLIEST_ACCEPTED = Instant.parse("2000-01-01T00:00:00Z");

  private final MeasurementCatalog catalog;
  private final MeasurementIds ids;
  private final Duration maxFutureSkew;

  public Normalizer(MeasurementCatalog catalog, MeasurementIds ids, Duration maxFutureSkew) {
    this.catalog = catalog;
    this.ids = ids;
    this.maxFutureSkew = maxFutureSkew;
  }

  public List<Measurement> normalize(
      List<DeviceReading> readings, String patientId, String deviceId, Instant receivedAt) {
    List<MessageProblem> problems = new ArrayList<>();
    List<Measurement> measurements = new ArrayList<>(readings.size());
    Instant latestAccepted = receivedAt.plus(maxFutureSkew);
    for (DeviceReading reading : readings) {
      normalize(reading, patientId, deviceId, receivedAt, latestAccepted, problems)
          .ifPresent(measurements::add);
    }
    if (!problems.isEmpty()) {
      throw new InvalidMessageException(problems);
    }
    return measurements;
  }

  private Optional<Measurement> normalize(
      DeviceReading reading,
      String patientId,
      String deviceId,
      Instant receivedAt,
      Instant latestAccepted,
      List<MessageProblem> problems) {
    String at = reading.location();
    if (!NativeMessageCodec.LOINC.equals(reading.system())) {
      problems.add(
          new MessageProblem(
              at + ".system",
              "unknown code system '"
                  + reading.system()
                  + "'; Vigil accepts LOINC codes ("
                  + NativeMessageCodec.LOINC
                  + ")"));
      return Optional.empty();
    }
    Optional<MeasurementType> found = catalog.find(reading.code());
    if (found.isEmpty()) {
      problems.add(
          new MessageProblem(
              at + ".code",
              "LOINC "
                  + reading.code()
                  + " is not a quantity Vigil accepts; accepted codes: "
                  + catalog.describeCodes()));
      return Optional.empty();
    }
    MeasurementType type = found.get();
    Optional<UnitConversion> conversion = type.conversionFrom(reading.unit());
    if (conversion.isEmpty()) {
      problems.add(
          new MessageProblem(
              at + ".unit",
              "unit '"
                  + reading.unit()
                  + "' is not accepted for "
                  + type.code()
                  + " ("
                  + type.display()
                  + "); use one of "
                  + String.join(", ", new TreeSet<>(type.acceptedUnits().keySet()))));
      return Optional.empty();
    }
    Instant effectiveAt = reading.effectiveAt().truncatedTo(ChronoUnit.MILLIS);
    if (effectiveAt.isAfter(latestAccepted)) {
      problems.add(
          new MessageProblem(
              at + ".time",
              "is "
                  + Duration.between(receivedAt, effectiveAt).toSeconds()
                  + " s ahead of Vigil's clock; at most "
                  + maxFutureSkew.toSeconds()
                  + " s are accepted (check the device clock)"));
      return Optional.empty();
    }
    if (effectiveAt.isBefore(EARLIEST_ACCEPTED)) {
      problems.add(
          new MessageProblem(
              at + ".time", "is before " + EARLIEST_ACCEPTED + "; the device clock looks unset"));
      return Optional.empty();
    }
    double value = convert(reading.value(), conversion.get(), type.decimals());
    return Optional.of(
        new Measurement(
            ids.next(),
            patientId,
            deviceId,
            type.code(),
            reading.mdcCode(),
            value,
            type.unit(),
            effectiveAt,
            receivedAt));
  }

  private static double convert(double value, UnitConversion conversion, int decimals) {
    if (conversion.isIdentity()) {
      return value;
    }
    return BigDecimal.valueOf(conversion.apply(value))
        .setScale(decimals, RoundingMode.HALF_UP)
        .doubleValue();
  }
}
