package org.vigil.medication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vigil.api.ApiException;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;
import org.vigil.security.ScopeAuthorization;

/**
 * A patient's medicines at home over REST, for the portal and the patient view (schedules
 * themselves are FHIR MedicationRequests at {@code /fhir}):
 *
 * <ul>
 *   <li>{@code GET /api/v1/patients/{id}/adherence?from=&to=}: doses, what became of each, and
 *       adherence and PDC per medicine and overall (default: the last 7 days);
 *   <li>{@code GET …/medication-reminders}: reminders of the last day, with whether the dose is
 *       still open; {@code POST …/medication-reminders/{rid}/dismiss} (the patient);
 *   <li>{@code POST …/medications/{requestId}/reports} {@code {"taken": true|false, "time": …}}:
 *       the patient's own report, recorded as a MedicationStatement;
 *   <li>{@code GET|PUT …/medication-settings}: reminders and care-team alarm settings (a nurse or
 *       clinician changes them).
 * </ul>
 *
 * The patient and the nurses and clinicians who may see them read; every access is audited, every
 * refusal too.
 */
@RestController
class MedicationController {

  static final Duration MAX_PERIOD = Duration.ofDays(92);

  private final MedicationAdherence adherence;
  private final MedicationSchedules schedules;
  private final MedicationReminders reminders;
  private final MedicationSettings settings;
  private final SelfReports reports;
  private final MedicationProperties properties;
  private final PatientAccess access;
  private final AuditTrail audit;
  private final AuditAgents agents;
  private final Clock clock = Clock.systemUTC();

  MedicationController(
      MedicationAdherence adherence,
      MedicationSchedules schedules,
      MedicationReminders reminders,
      MedicationSettings settings,
      SelfReports reports,
      MedicationProperties properties,
      PatientAccess access,
      AuditTrail audit,
      AuditAgents agents) {
    this.adherence = adherence;
    this.schedules = schedules;
    this.reminders = reminders;
    this.settings = settings;
    this.reports = reports;
    this.properties = properties;
    this.access = access;
    this.audit = audit;
    this.agents = agents;
  }

  record RatesView(
      int onTime,
      int late,
      int missed,
      int pending,
      int extra,
      int daysCounted,
      int daysCovered,
      Double onTimePercent,
      Double takenPercent,
      Double pdcPercent) {

    static RatesView of(Adherence.Rates r) {
      return new RatesView(
          r.onTime(),
          r.late(),
          r.missed(),
          r.pending(),
          r.extra(),
          r.daysCounted(),
          r.daysCovered(),
          percent(r.onTimeRate()),
          percent(r.takenRate()),
          percent(r.pdc()));
    }

    /** A proportion as a percentage to one decimal; null when there was nothing to count. */
    private static Double percent(Optional<Double> rate) {
      return rate.map(v -> Math.round(v * 1000) / 10.0).orElse(null);
    }
  }

  record EvidenceView(long id, String kind, Instant at, String source) {
    static EvidenceView of(Intake intake) {
      return new EvidenceView(intake.id(), intake.kind().code(), intake.at(), intake.source());
    }
  }

  record DoseView(Instant dueAt, String outcome, EvidenceView evidence) {}

  record MedicineView(
      String medicationRequest,
      String medication,
      String dose,
      String status,
      boolean asNeeded,
      List<String> timesOfDay,
      List<String> daysOfWeek,
      Integer compartment,
      RatesView rates,
      List<DoseView> doses,
      List<EvidenceView> extra,
      List<EvidenceView> duplicates,
      List<EvidenceView> asNeededTaken) {}

  record AdherenceView(
      String patient,
      Instant from,
      Instant to,
      String timeZone,
      String tolerance,
      RatesView overall,
      List<MedicineView> medications) {}

  @GetMapping("/api/v1/patients/{patientId}/adherence")
  AdherenceView adherence(
      @PathVariable String patientId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      Authentication caller) {
    reader(patientId, caller, "read adherence");
    Instant now = clock.instant();
    Instant end = to == null ? now : time("to", to);
    Instant start = from == null ? end.minus(Duration.ofDays(7)) : time("from", from);
    if (!start.isBefore(end)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, IssueType.INVALID, "from: must be before to");
    }
    if (Duration.between(start, end).compareTo(MAX_PERIOD) > 0) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.TOOLONG, "from, to: at most 92 days at a time");
    }
    Adherence judged = adherence.of(patientId, start, end, now);
    record(patientId, "R", "read adherence " + start + "/" + end);
    return new AdherenceView(
        patientId,
        start,
        end,
        settings.of(patientId).timeZone().getId(),
        properties.tolerance().toString(),
        RatesView.of(judged.overall()),
        judged.medications().stream().map(MedicationController::view).toList());
  }

  private static MedicineView view(Adherence.OfMedication m) {
    DoseSchedule s = m.schedule();
    return new MedicineView(
        "MedicationRequest/" + s.id(),
        s.medication(),
        s.doseText().orElse(null),
        s.status(),
        s.asNeeded(),
        s.timesOfDay().stream().map(Object::toString).toList(),
        s.daysOfWeek().stream().sorted().map(MedicationSchedules::dayCode).toList(),
        s.compartment().orElse(null),
        RatesView.of(m.rates()),
        m.doses().stream()
            .map(d ->
                new DoseView(
                    d.dueAt(), d.outcome().code(), d.evidence().map(EvidenceView::of).orElse(null)))
            .toList(),
        m.extra().stream().map(EvidenceView::of).toList(),
        m.duplicates().stream().map(EvidenceView::of).toList(),
        m.asNeeded().stream().map(EvidenceView::of).toList());
  }

  record ReminderView(
      long id,
      String medicationRequest,
      String medication,
      String dose,
      Instant dueAt,
      Instant sentAt,
      boolean dismissed,
      String outcome) {}

  /** The reminders of the last day, newest first, each with what has become of its dose since. */
  @GetMapping("/api/v1/patients/{patientId}/medication-reminders")
  List<ReminderView> reminders(@PathVariable String patientId, Authentication caller) {
    reader(patientId, caller, "read medication reminders");
    Instant now = clock.instant();
    Instant since = now.minus(Duration.ofDays(1));
    List<MedicationReminders.Reminder> sent = reminders.ofPatient(patientId, since);
    Map<String, DoseSchedule> byId =
        schedules.ofPatient(patientId).stream()
            .collect(Collectors.toMap(DoseSchedule::id, Function.identity()));
    Adherence judged =
        adherence.of(
            patientId, since.minus(properties.tolerance()), now.plus(properties.tolerance()), now);
    Map<String, String> outcomes =
        judged.medications().stream()
            .flatMap(m -> m.doses().stream())
            .collect(
                Collectors.toMap(
                    d -> d.requestId() + "@" + d.dueAt(), d -> d.outcome().code(), (a, b) -> a));
    record(patientId, "R", "read medication reminders (" + sent.size() + ")");
    return sent.stream()
        .map(r -> {
          DoseSchedule s = byId.get(r.requestId());
          return new ReminderView(
              r.id(),
              "MedicationRequest/" + r.requestId(),
              s == null ? "" : s.medication(),
              s == null ? null : s.doseText().orElse(null),
              r.dueAt(),
              r.sentAt(),
              r.dismissedAt().isPresent(),
              outcomes.getOrDefault(r.requestId() + "@" + r.dueAt(), "due"));
        })
        .toList();
  }

  @PostMapping("/api/v1/patients/{patientId}/medication-reminders/{reminderId}/dismiss")
  ResponseEntity<Void> dismiss(
      @PathVariable String patientId, @PathVariable long reminderId, Authentication caller) {
    patientThemselves(patientId, caller, "U", "dismiss medication reminder " + reminderId);
    if (!reminders.dismiss(patientId, reminderId)) {
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          IssueType.NOTFOUND,
          "no open reminder " + reminderId + " of this patient");
    }
    record(patientId, "U", "dismiss medication reminder " + reminderId);
    return ResponseEntity.noContent().build();
  }

  record SelfReport(Boolean taken, String time) {}

  record ReportView(String medicationStatement, String kind, Instant at) {}

  @PostMapping("/api/v1/patients/{patientId}/medications/{requestId}/reports")
  ResponseEntity<ReportView> report(
      @PathVariable String patientId,
      @PathVariable String requestId,
      @RequestBody(required = false) SelfReport body,
      Authentication caller) {
    patientThemselves(patientId, caller, "C", "report medication " + requestId);
    if (body == null || body.taken() == null) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.REQUIRED,
          "taken: true when you took it, false when you skipped it");
    }
    Optional<Instant> at =
        body.time() == null ? Optional.empty() : Optional.of(time("time", body.time()));
    Intake recorded;
    try {
      recorded = reports.report(patientId, requestId, body.taken(), at);
    } catch (SelfReports.RefusedReport e) {
      throw new ApiException(
          e.notFound() ? HttpStatus.NOT_FOUND : HttpStatus.UNPROCESSABLE_CONTENT,
          e.notFound() ? IssueType.NOTFOUND : IssueType.BUSINESSRULE,
          e.getMessage());
    }
    record(
        patientId,
        "C",
        "report medication "
            + requestId
            + " "
            + recorded.kind().code()
            + " as MedicationStatement/"
            + recorded.id());
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(
            new ReportView(
                "MedicationStatement/" + recorded.id(), recorded.kind().code(), recorded.at()));
  }

  record SettingsView(
      String timeZone,
      boolean reminders,
      String reminderGrace,
      int consecutiveMisses,
      double adherenceThreshold,
      String adherencePeriod,
      Map<String, Object> overrides) {}

  /** What a nurse or clinician sets; a field left out (null) takes the node's default. */
  record SettingsChange(
      String timeZone,
      Boolean reminders,
      String reminderGrace,
      Integer consecutiveMisses,
      Double adherenceThreshold,
      String adherencePeriod) {}

  @GetMapping("/api/v1/patients/{patientId}/medication-settings")
  SettingsView settings(@PathVariable String patientId, Authentication caller) {
    reader(patientId, caller, "read medication settings");
    record(patientId, "R", "read medication settings");
    return settingsView(patientId);
  }

  @PutMapping("/api/v1/patients/{patientId}/medication-settings")
  SettingsView changeSettings(
      @PathVariable String patientId,
      @RequestBody(required = false) SettingsChange change,
      Authentication caller) {
    PatientAccess.Scope scope = access.of(caller);
    Role role = scope.role().orElse(null);
    if (!((role == Role.NURSE || role == Role.CLINICIAN) && scope.mayAccess(patientId))) {
      refuse(
          patientId,
          "U",
          "change medication settings",
          "only the nurses and clinicians looking after the patient change these settings");
    }
    SettingsChange c =
        change == null ? new SettingsChange(null, null, null, null, null, null) : change;
    PatientMedicationSettings own;
    try {
      own =
          new PatientMedicationSettings(
              Optional.ofNullable(c.timeZone()).map(java.time.ZoneId::of),
              Optional.ofNullable(c.reminders()),
              Optional.ofNullable(c.reminderGrace()).map(Duration::parse),
              Optional.ofNullable(c.consecutiveMisses()),
              Optional.ofNullable(c.adherenceThreshold()),
              Optional.ofNullable(c.adherencePeriod()).map(Duration::parse));
    } catch (java.time.DateTimeException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.INVALID,
          "timeZone is an IANA zone (Europe/Oslo); reminderGrace and adherencePeriod ISO 8601"
              + " durations (PT15M, P7D)");
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, IssueType.INVALID, e.getMessage());
    }
    settings.save(patientId, own, caller.getName());
    record(patientId, "U", "change medication settings");
    return settingsView(patientId);
  }

  private SettingsView settingsView(String patientId) {
    PatientMedicationSettings.Effective e = settings.of(patientId);
    PatientMedicationSettings own = settings.overrides(patientId);
    Map<String, Object> overrides = new java.util.LinkedHashMap<>();
    own.timeZone().ifPresent(v -> overrides.put("timeZone", v.getId()));
    own.reminders().ifPresent(v -> overrides.put("reminders", v));
    own.reminderGrace().ifPresent(v -> overrides.put("reminderGrace", v.toString()));
    own.consecutiveMisses().ifPresent(v -> overrides.put("consecutiveMisses", v));
    own.adherenceThreshold().ifPresent(v -> overrides.put("adherenceThreshold", v));
    own.adherencePeriod().ifPresent(v -> overrides.put("adherencePeriod", v.toString()));
    return new SettingsView(
        e.timeZone().getId(),
        e.reminders(),
        e.reminderGrace().toString(),
        e.consecutiveMisses(),
        e.adherenceThreshold(),
        e.adherencePeriod().toString(),
        overrides);
  }

  private static Instant time(String parameter, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.INVALID,
          parameter + ": an ISO 8601 date-time with an offset, e.g. 2026-03-01T00:00:00Z");
    }
  }

  /** The patient, a nurse or clinician who may see them, or a system with a read scope. */
  private void reader(String patientId, Authentication caller, String what) {
    PatientAccess.Scope scope = access.of(caller);
    Role role = scope.role().orElse(null);
    boolean person = role == Role.PATIENT || role == Role.NURSE || role == Role.CLINICIAN;
    boolean system = role == null && scope.allPatients();
    if (!(person || system)
        || !scope.mayAccess(patientId)
        || !ScopeAuthorization.grantsOnFhir(caller, "MedicationRequest", 'r')) {
      refuse(
          patientId,
          "R",
          what,
          "only the patient and the people looking after them see the patient's medicines");
    }
  }

  private void patientThemselves(
      String patientId, Authentication caller, String action, String what) {
    PatientAccess.Scope scope = access.of(caller);
    if (scope.role().orElse(null) != Role.PATIENT || !scope.mayAccess(patientId)) {
      refuse(patientId, action, what, "only the patient themselves reports their own doses");
    }
  }

  private void refuse(String patientId, String action, String what, String why) {
    audit.record(
        new AuditEntry(
            "rest",
            action,
            AuditEntry.MINOR_FAILURE,
            agents.current(),
            Set.of(patientId),
            what,
            Optional.of(why)));
    throw new ApiException(HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, why);
  }

  private void record(String patientId, String action, String what) {
    audit.record(
        new AuditEntry(
            "rest",
            action,
            AuditEntry.SUCCESS,
            agents.current(),
            Set.of(patientId),
            what,
            Optional.empty()));
  }
}
