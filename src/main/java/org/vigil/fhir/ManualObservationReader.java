package org.vigil.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.vigil.measurement.Consciousness;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.normalize.DeviceReading;
import org.vigil.normalize.MessageProblem;
import org.vigil.normalize.NativeMessageCodec;

/**
 * Reads an Observation a person entered (a nurse's ACVPU, a manual respiratory rate) as the reading
 * it describes, in the terms a device reading has before normalization: LOINC code, value, unit as
 * sent, time. What only FHIR can get wrong (the subject, the value's type, an ACVPU finding outside
 * the value set) is checked here, each problem named by its FHIRPath; codes, units and times are
 * then checked by the {@link org.vigil.normalize.Normalizer}, the same as for a device.
 */
final class ManualObservationReader {

  /** What an Observation says, when it could be read. */
  record Entered(String patientId, DeviceReading reading) {}

  private ManualObservationReader() {}

  /**
   * The patient an Observation is for, if its subject names one; read on its own so that access is
   * checked before anything else is said about the resource.
   */
  static Optional<String> patientOf(Observation observation) {
    Reference subject = observation.getSubject();
    if (subject == null || !subject.hasReference()) {
      return Optional.empty();
    }
    var id = subject.getReferenceElement();
    return "Patient".equals(id.getResourceType()) && id.hasIdPart() && !id.isAbsolute()
        ? Optional.of(id.getIdPart())
        : Optional.empty();
  }

  /**
   * The reading an Observation describes; empty when it has problems, which are added to {@code
   * problems}.
   *
   * @param at the Observation's FHIRPath in the request ({@code Observation}, or {@code
   *     Bundle.entry[2].resource}), which locations of problems start with
   * @param performer the person entering it, as {@code Practitioner/<username>}
   */
  static Optional<Entered> read(
      Observation observation, String at, String performer, List<MessageProblem> problems) {
    int before = problems.size();
    Optional<String> patient = patientOf(observation);
    if (patient.isEmpty()) {
      problems.add(
          new MessageProblem(
              at + ".subject",
              observation.hasSubject()
                  ? "must refer to a Patient of this server (Patient/<id>)"
                  : "is required: the Patient the reading is of (Patient/<id>)"));
    }
    if (observation.getStatus() != Observation.ObservationStatus.FINAL) {
      problems.add(
          new MessageProblem(
              at + ".status",
              observation.hasStatus()
                  ? "'"
                      + observation.getStatus().toCode()
                      + "' is not accepted: Vigil stores readings as final"
                  : "is required and must be 'final'"));
    }
    if (observation.hasDevice()) {
      problems.add(
          new MessageProblem(
              at + ".device",
              "must be absent: a reading a person enters has no device; devices send theirs"
                  + " through the ingest API"));
    }
    for (int i = 0; i < observation.getPerformer().size(); i++) {
      if (!performer.equals(observation.getPerformer().get(i).getReference())) {
        problems.add(
            new MessageProblem(
                at + ".performer[" + i + "]",
                "must be "
                    + performer
                    + " or absent: the person entering a reading is the one signed in"));
      }
    }
    if (observation.hasComponent()) {
      problems.add(
          new MessageProblem(
              at + ".component",
              "is not accepted: send each quantity as its own Observation (systolic 8480-6,"
                  + " diastolic 8462-4)"));
    }
    Optional<String> code = codeOf(observation.getCode(), at, problems);
    Optional<java.time.Instant> effective = effectiveOf(observation, at, problems);
    Optional<Value> value =
        code.flatMap(c ->
            MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS.equals(c)
                ? consciousness(observation, at, problems)
                : quantity(observation, at, problems));
    if (problems.size() > before
        || patient.isEmpty()
        || code.isEmpty()
        || effective.isEmpty()
        || value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Entered(
            patient.get(),
            new DeviceReading(
                at,
                NativeMessageCodec.LOINC,
                code.get(),
                value.get().amount(),
                value.get().unit(),
                effective.get())));
  }

  private record Value(double amount, String unit) {}

  /**
   * The LOINC code of what was measured. A LOINC coding is taken as it is (the normalizer says
   * whether Vigil accepts it); SNOMED CT's ACVPU scale observable stands for LOINC 67775-7.
   */
  private static Optional<String> codeOf(
      CodeableConcept code, String at, List<MessageProblem> problems) {
    Optional<Coding> loinc =
        code.getCoding().stream()
            .filter(c -> ObservationMapper.LOINC.equals(c.getSystem()) && c.hasCode())
            .findFirst();
    if (loinc.isPresent()) {
      return Optional.of(loinc.get().getCode());
    }
    boolean acvpu =
        code.getCoding().stream()
            .anyMatch(c ->
                ObservationMapper.SNOMED.equals(c.getSystem())
                    && Consciousness.SNOMED_SCALE.equals(c.getCode()));
    if (acvpu) {
      return Optional.of(MeasurementCatalog.LEVEL_OF_CONSCIOUSNESS);
    }
    problems.add(
        new MessageProblem(
            at + ".code",
            code.hasCoding()
                ? "has no LOINC coding (" + ObservationMapper.LOINC + ") Vigil can store"
                : "is required: a LOINC coding of what was measured"));
    return Optional.empty();
  }

  private static Optional<java.time.Instant> effectiveOf(
      Observation observation, String at, List<MessageProblem> problems) {
    if (!observation.hasEffective()) {
      problems.add(new MessageProblem(at + ".effective[x]", "is required: when it was measured"));
      return Optional.empty();
    }
    if (!(observation.getEffective() instanceof BaseDateTimeType time)) {
      problems.add(
          new MessageProblem(
              at + ".effective[x]",
              "must be a point in time (effectiveDateTime or effectiveInstant), not a "
                  + observation.getEffective().fhirType()));
      return Optional.empty();
    }
    if (time.getValue() == null
        || time.getPrecision().ordinal() < TemporalPrecisionEnum.MINUTE.ordinal()) {
      problems.add(
          new MessageProblem(
              at + ".effectiveDateTime", "must give the time of day, with its time zone"));
      return Optional.empty();
    }
    return Optional.of(time.getValue().toInstant());
  }

  private static Optional<Value> quantity(
      Observation observation, String at, List<MessageProblem> problems) {
    if (!observation.hasValue()) {
      problems.add(new MessageProblem(at + ".value[x]", "is required: a valueQuantity"));
      return Optional.empty();
    }
    if (!(observation.getValue() instanceof Quantity quantity)) {
      problems.add(
          new MessageProblem(
              at + ".value[x]",
              "must be a valueQuantity for this code, not a " + observation.getValue().fhirType()));
      return Optional.empty();
    }
    if (quantity.getValue() == null) {
      problems.add(new MessageProblem(at + ".valueQuantity.value", "is required"));
      return Optional.empty();
    }
    if (quantity.hasSystem() && !ObservationMapper.UCUM.equals(quantity.getSystem())) {
      problems.add(
          new MessageProblem(
              at + ".valueQuantity.system",
              "must be UCUM (" + ObservationMapper.UCUM + "), was " + quantity.getSystem()));
      return Optional.empty();
    }
    String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
    if (unit == null || unit.isBlank()) {
      problems.add(new MessageProblem(at + ".valueQuantity.code", "is required: the UCUM unit"));
      return Optional.empty();
    }
    return Optional.of(new Value(quantity.getValue().doubleValue(), unit));
  }

  /** ACVPU: a SNOMED CT finding of the value set, stored as its ordinal. */
  private static Optional<Value> consciousness(
      Observation observation, String at, List<MessageProblem> problems) {
    String valueSet =
        Stream.of(Consciousness.values())
            .map(c -> c.snomedCode() + " (" + c.display() + ")")
            .collect(Collectors.joining(", "));
    if (!(observation.getValue() instanceof CodeableConcept concept)) {
      problems.add(
          new MessageProblem(
              at + ".value[x]",
              (observation.hasValue()
                      ? "must be a valueCodeableConcept, not a " + observation.getValue().fhirType()
                      : "is required: a valueCodeableConcept")
                  + " with a SNOMED CT ACVPU finding: "
                  + valueSet));
      return Optional.empty();
    }
    Optional<Consciousness> level =
        concept.getCoding().stream()
            .filter(c -> ObservationMapper.SNOMED.equals(c.getSystem()))
            .map(c -> Consciousness.ofSnomed(c.getCode()))
            .flatMap(Optional::stream)
            .findFirst();
    if (level.isEmpty()) {
      problems.add(
          new MessageProblem(
              at + ".valueCodeableConcept",
              "is not in the ACVPU value set; use a SNOMED CT ("
                  + ObservationMapper.SNOMED
                  + ") "
                  + valueSet));
      return Optional.empty();
    }
    return Optional.of(new Value(level.get().ordinal(), Consciousness.UNIT));
  }
}
