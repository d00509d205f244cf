package org.vigil.fhir;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.TimeType;
import org.hl7.fhir.r4.model.Timing;
import org.vigil.api.OperationOutcomes;
import org.vigil.medication.DoseSchedule;
import org.vigil.medication.Intake;
import org.vigil.medication.IntakeKind;
import org.vigil.medication.MedicationSchedules;

/**
 * Medication adherence as FHIR R4: schedules as MedicationRequest (the medicine as {@code
 * medicationCodeableConcept}, one {@code dosageInstruction} with {@code timing.repeat.timeOfDay},
 * {@code dayOfWeek} and {@code boundsPeriod}, or {@code asNeededBoolean}), a dispenser's evidence
 * as MedicationAdministration (its device as performer) and the patient's own as
 * MedicationStatement (the patient as information source).
 */
final class MedicationResources {

  /** The dispenser compartment (slot) that holds the medicine. */
  static final String COMPARTMENT_EXTENSION =
      "https://vigil.health/fhir/StructureDefinition/dispenser-compartment";

  /** What a piece of evidence is, in Vigil's words (dose-dispensed, reported-skipped, …). */
  static final String EVIDENCE_SYSTEM = "https://vigil.health/fhir/CodeSystem/intake-evidence";

  private MedicationResources() {}

  static MedicationRequest toFhir(DoseSchedule schedule) {
    MedicationRequest request = new MedicationRequest();
    request.setId(schedule.id());
    request.getMeta().setVersionId(Integer.toString(schedule.version()));
    request.setStatus(MedicationRequest.MedicationRequestStatus.fromCode(schedule.status()));
    request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
    CodeableConcept medicine = new CodeableConcept().setText(schedule.medication());
    schedule
        .code()
        .ifPresent(
            c -> medicine.addCoding(new Coding(c.system(), c.code(), c.display().orElse(null))));
    request.setMedication(medicine);
    request.setSubject(new Reference("Patient/" + schedule.patientId()));
    request.setRequester(new Reference(schedule.requester()));
    Dosage dosage = request.addDosageInstruction();
    schedule.doseText().ifPresent(dosage::setText);
    Timing.TimingRepeatComponent repeat = dosage.getTiming().getRepeat();
    for (LocalTime time : schedule.timesOfDay()) {
      repeat.addTimeOfDay(time.toString().length() == 5 ? time + ":00" : time.toString());
    }
    for (DayOfWeek day : schedule.daysOfWeek().stream().sorted().toList()) {
      repeat.addDayOfWeek(Timing.DayOfWeek.fromCode(MedicationSchedules.dayCode(day)));
    }
    Period bounds = new Period().setStart(Date.from(schedule.start()));
    schedule.end().ifPresent(end -> bounds.setEnd(Date.from(end)));
    repeat.setBounds(bounds);
    if (schedule.asNeeded()) {
      dosage.setAsNeeded(new org.hl7.fhir.r4.model.BooleanType(true));
    }
    schedule
        .compartment()
        .ifPresent(c -> request.addExtension(COMPARTMENT_EXTENSION, new IntegerType(c)));
    return request;
  }

  /**
   * The schedule a MedicationRequest describes, or every problem with it (each naming its element).
   *
   * @param id the schedule's id
   * @param requester who prescribes it
   * @param now the start when the request gives none
   * @param zoneOf the patient's time zone, in which a start given as a date begins (at midnight)
   */
  static Optional<DoseSchedule> fromFhir(
      MedicationRequest request,
      String id,
      String requester,
      Instant now,
      java.util.function.Function<String, java.time.ZoneId> zoneOf,
      List<OperationOutcomes.Issue> problems) {
    String patient = patientOf(request).orElse(null);
    if (patient == null) {
      problems.add(
          issue(
              IssueType.REQUIRED,
              "subject: the patient, Patient/<id>",
              "MedicationRequest.subject"));
    }
    String status = request.hasStatus() ? request.getStatus().toCode() : "active";
    if (request.hasIntent()
        && request.getIntent() != MedicationRequest.MedicationRequestIntent.ORDER
        && request.getIntent() != MedicationRequest.MedicationRequestIntent.PLAN) {
      problems.add(
          issue(
              IssueType.VALUE,
              "intent: order or plan (Vigil schedules what is to be taken)",
              "MedicationRequest.intent"));
    }
    String medication = null;
    Optional<DoseSchedule.Code> code = Optional.empty();
    if (!request.hasMedicationCodeableConcept()) {
      problems.add(
          issue(
              IssueType.REQUIRED,
              "medicationCodeableConcept: the medicine, with its text (a Medication reference is"
                  + " not supported)",
              "MedicationRequest.medication"));
    } else {
      CodeableConcept concept = request.getMedicationCodeableConcept();
      Coding first = concept.getCodingFirstRep();
      medication =
          concept.hasText()
              ? concept.getText().strip()
              : first.hasDisplay() ? first.getDisplay() : null;
      if (medication == null || medication.isEmpty() || medication.length() > 200) {
        problems.add(
            issue(
                IssueType.REQUIRED,
                "medicationCodeableConcept.text: the medicine as people read it, 1 to 200"
                    + " characters",
                "MedicationRequest.medication.text"));
      }
      if (concept.getCoding().size() > 1) {
        problems.add(
            issue(
                IssueType.NOTSUPPORTED,
                "medicationCodeableConcept.coding: at most one code",
                "MedicationRequest.medication.coding"));
      } else if (first.hasCode()) {
        if (!first.hasSystem()
            || first.getSystem().length() > 200
            || first.getCode().length() > 64) {
          problems.add(
              issue(
                  IssueType.VALUE,
                  "medicationCodeableConcept.coding: a system (up to 200 characters) and a code (up"
                      + " to 64)",
                  "MedicationRequest.medication.coding"));
        } else {
          code =
              Optional.of(
                  new DoseSchedule.Code(
                      first.getSystem(), first.getCode(), Optional.ofNullable(first.getDisplay())));
        }
      }
    }
    if (request.getDosageInstruction().size() != 1) {
      problems.add(
          issue(
              IssueType.REQUIRED,
              "dosageInstruction: exactly one, with timing.repeat.timeOfDay or asNeededBoolean",
              "MedicationRequest.dosageInstruction"));
      return Optional.empty();
    }
    Dosage dosage = request.getDosageInstructionFirstRep();
    String at = "MedicationRequest.dosageInstruction[0]";
    boolean asNeeded =
        dosage.hasAsNeededBooleanType() && dosage.getAsNeededBooleanType().booleanValue();
    if (dosage.hasAsNeededCodeableConcept()) {
      problems.add(
          issue(
              IssueType.NOTSUPPORTED,
              "asNeededCodeableConcept: give asNeededBoolean (the reason goes in text)",
              at + ".asNeeded"));
    }
    Timing.TimingRepeatComponent repeat = dosage.getTiming().getRepeat();
    List<LocalTime> times = new ArrayList<>();
    for (int i = 0; i < repeat.getTimeOfDay().size(); i++) {
      TimeType time = repeat.getTimeOfDay().get(i);
      try {
        times.add(LocalTime.parse(time.getValue()));
      } catch (DateTimeParseException | NullPointerException e) {
        problems.add(
            issue(
                IssueType.VALUE,
                "timeOfDay: hh:mm:ss",
                at + ".timing.repeat.timeOfDay[" + i + "]"));
      }
    }
    if (asNeeded && !times.isEmpty()) {
      problems.add(
          issue(
              IssueType.INVARIANT,
              "a medicine taken as needed has no times of day",
              at + ".timing.repeat.timeOfDay"));
    }
    if (!asNeeded && times.isEmpty()) {
      problems.add(
          issue(
              IssueType.REQUIRED,
              "timing.repeat.timeOfDay: when the doses are due (or asNeededBoolean true)",
              at + ".timing.repeat.timeOfDay"));
    }
    if (times.size() > 24) {
      problems.add(
          issue(
              IssueType.TOOLONG,
              "timeOfDay: at most 24 times a day",
              at + ".timing.repeat.timeOfDay"));
    }
    if (repeat.hasFrequency()
        || repeat.hasPeriod()
        || repeat.hasWhen()
        || dosage.getTiming().hasEvent()) {
      problems.add(
          issue(
              IssueType.NOTSUPPORTED,
              "timing: Vigil schedules by timeOfDay and dayOfWeek; frequency, period, when and"
                  + " event are not supported",
              at + ".timing"));
    }
    Set<DayOfWeek> days = new LinkedHashSet<>();
    for (Enumeration<Timing.DayOfWeek> day : repeat.getDayOfWeek()) {
      MedicationSchedules.dayOf(day.getValueAsString()).ifPresent(days::add);
    }
    Instant start = now;
    Optional<Instant> end = Optional.empty();
    if (repeat.hasBoundsPeriod()) {
      Period bounds = repeat.getBoundsPeriod();
      if (bounds.hasStart()) {
        if (bounds.getStartElement().getPrecision().ordinal()
                <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal()
            && patient != null) {
          // a date: the first day of the schedule, from midnight where the patient lives
          var date = bounds.getStartElement();
          start =
              java.time.LocalDate.of(
                      date.getYear(),
                      date.getMonth() + 1,
                      date.getPrecision() == ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY
                          ? date.getDay()
                          : 1)
                  .atStartOfDay(zoneOf.apply(patient))
                  .toInstant();
        } else {
          start = bounds.getStart().toInstant();
        }
      }
      if (bounds.hasEnd()) {
        end = Optional.of(bounds.getEnd().toInstant());
        if (!end.get().isAfter(start)) {
          problems.add(
              issue(
                  IssueType.INVARIANT,
                  "boundsPeriod: end after start",
                  at + ".timing.repeat.boundsPeriod"));
        }
      }
    } else if (repeat.hasBounds()) {
      problems.add(
          issue(IssueType.NOTSUPPORTED, "bounds: a boundsPeriod", at + ".timing.repeat.bounds"));
    }
    String doseText = dosage.hasText() ? dosage.getText().strip() : null;
    if (doseText != null && doseText.length() > 200) {
      problems.add(issue(IssueType.TOOLONG, "text: at most 200 characters", at + ".text"));
    }
    Optional<Integer> compartment = Optional.empty();
    var extension = request.getExtensionByUrl(COMPARTMENT_EXTENSION);
    if (extension != null) {
      if (extension.getValue() instanceof IntegerType n
          && n.getValue() != null
          && n.getValue() >= 0
          && n.getValue() <= 1000) {
        compartment = Optional.of(n.getValue());
      } else {
        problems.add(
            issue(
                IssueType.VALUE,
                "the dispenser compartment is a valueInteger from 0 to 1000",
                "MedicationRequest.extension('" + COMPARTMENT_EXTENSION + "')"));
      }
    }
    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new DoseSchedule(
            id,
            patient,
            medication,
            code,
            status,
            times,
            days,
            asNeeded,
            compartment,
            Optional.ofNullable(doseText).filter(t -> !t.isEmpty()),
            start,
            end,
            requester,
            1));
  }

  static Optional<String> patientOf(MedicationRequest request) {
    Reference subject = request.getSubject();
    if (subject == null || !subject.hasReference()) {
      return Optional.empty();
    }
    var ref = subject.getReferenceElement();
    if (!"Patient".equals(ref.getResourceType()) || !ref.hasIdPart()) {
      return Optional.empty();
    }
    return Optional.of(ref.getIdPart());
  }

  private static OperationOutcomes.Issue issue(IssueType type, String text, String expression) {
    return new OperationOutcomes.Issue(type, text, expression);
  }

  private static CodeableConcept evidence(IntakeKind kind) {
    return new CodeableConcept(new Coding(EVIDENCE_SYSTEM, kind.code(), null));
  }

  /** A dispenser's evidence. */
  static MedicationAdministration toAdministration(Intake intake, Optional<DoseSchedule> schedule) {
    MedicationAdministration administration = new MedicationAdministration();
    administration.setId(Long.toString(intake.id()));
    administration.setStatus(
        intake.kind().notTaken()
            ? MedicationAdministration.MedicationAdministrationStatus.NOTDONE
            : intake.kind().taken()
                ? MedicationAdministration.MedicationAdministrationStatus.COMPLETED
                : MedicationAdministration.MedicationAdministrationStatus.UNKNOWN);
    administration.setMedication(medicine(schedule));
    administration.setSubject(new Reference("Patient/" + intake.patientId()));
    administration.setEffective(new DateTimeType(Date.from(intake.at())));
    administration.addPerformer().setActor(new Reference(intake.source()));
    intake
        .requestId()
        .ifPresent(id -> administration.setRequest(new Reference("MedicationRequest/" + id)));
    administration.addReasonCode(evidence(intake.kind()));
    if (intake.kind().notTaken()) {
      administration.addStatusReason(evidence(intake.kind()));
    }
    administration.getMeta().setLastUpdated(Date.from(intake.recordedAt()));
    return administration;
  }

  /** The patient's own report. */
  static MedicationStatement toStatement(Intake intake, Optional<DoseSchedule> schedule) {
    MedicationStatement statement = new MedicationStatement();
    statement.setId(Long.toString(intake.id()));
    statement.setStatus(
        intake.kind().taken()
            ? MedicationStatement.MedicationStatementStatus.COMPLETED
            : MedicationStatement.MedicationStatementStatus.NOTTAKEN);
    statement.setMedication(medicine(schedule));
    statement.setSubject(new Reference("Patient/" + intake.patientId()));
    statement.setEffective(new DateTimeType(Date.from(intake.at())));
    statement.setDateAsserted(Date.from(intake.recordedAt()));
    statement.setInformationSource(new Reference(intake.source()));
    intake
        .requestId()
        .ifPresent(id -> statement.addBasedOn(new Reference("MedicationRequest/" + id)));
    if (!intake.kind().taken()) {
      statement.addStatusReason(evidence(intake.kind()));
    }
    statement.getMeta().setLastUpdated(Date.from(intake.recordedAt()));
    return statement;
  }

  private static CodeableConcept medicine(Optional<DoseSchedule> schedule) {
    return schedule
        .map(s -> {
          CodeableConcept c = new CodeableConcept().setText(s.medication());
          s.code()
              .ifPresent(
                  k -> c.addCoding(new Coding(k.system(), k.code(), k.display().orElse(null))));
          return c;
        })
        .orElse(new CodeableConcept().setText("the dispenser's medicines"));
  }
}
