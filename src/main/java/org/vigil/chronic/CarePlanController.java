package org.vigil.chronic;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
import org.vigil.patient.PatientRepository;
import org.vigil.security.PatientAccess;
import org.vigil.security.Role;
import org.vigil.security.ScopeAuthorization;

/**
 * The chronic-care REST API, under {@code /api/v1/patients/{id}}: {@code care-plan} (read; write by
 * a clinician looking after the patient), {@code care-metrics} (the figures and the patient's
 * plain-language summaries), {@code glucose-profile} (AGP), {@code review-time} (the web app logs a
 * clinician's review) and {@code program-report} (HTML) / {@code program-report.pdf}. The patient
 * reads their own plan and figures; staff those of their patients; systems with a {@code CarePlan}
 * read scope. Everything is audited.
 */
@RestController
class CarePlanController {

  record TargetsBody(
      Double bpSystolicBelow,
      Double bpDiastolicBelow,
      Double glucoseLow,
      Double glucoseHigh,
      Double tirGoalPercent,
      Integer cgmIntervalMinutes,
      Double targetWeightKg,
      Double weightGainKg,
      Integer weightGainDays,
      Double spo2Low,
      Double spo2High) {}

  record PlanBody(
      List<String> programs, String timeZone, String status, TargetsBody targets, String note) {}

  record TargetsView(
      double bpSystolicBelow,
      double bpDiastolicBelow,
      double glucoseLow,
      double glucoseHigh,
      double tirGoalPercent,
      long cgmIntervalMinutes,
      Double targetWeightKg,
      double weightGainKg,
      int weightGainDays,
      double spo2Low,
      double spo2High) {}

  record PlanView(
      long id,
      String patientId,
      String status,
      List<String> programs,
      String timeZone,
      TargetsView targets,
      String note,
      int version,
      String updatedBy,
      Instant updatedAt) {
    static PlanView of(CarePlan p) {
      CareTargets t = p.targets();
      return new PlanView(
          p.id(),
          p.patientId(),
          p.active() ? "active" : "revoked",
          p.programs().stream().sorted().map(CareProgram::code).toList(),
          p.zone().getId(),
          new TargetsView(
              t.bpSystolicBelow(),
              t.bpDiastolicBelow(),
              t.glucoseLow(),
              t.glucoseHigh(),
              t.tirGoalPercent(),
              t.cgmInterval().toMinutes(),
              t.targetWeightKg().orElse(null),
              t.weightGain().kg(),
              t.weightGain().days(),
              t.spo2Low(),
              t.spo2High()),
          p.note().orElse(null),
          p.version(),
          p.updatedBy(),
          p.updatedAt());
    }
  }

  record GlucoseView(
      Instant from,
      Instant to,
      int readings,
      long expectedReadings,
      double capturePercent,
      boolean sufficient,
      Double tir,
      Double tbr70,
      Double tbr54,
      Double tar180,
      Double tar250,
      Double mean,
      Double sd,
      Double cv,
      Double gmi,
      Double inPersonalRange,
      boolean targetsMet) {}

  record BloodPressureView(
      int days,
      int readings,
      boolean sufficient,
      Double systolic,
      Double diastolic,
      int morningReadings,
      Double morningSystolic,
      Double morningDiastolic,
      String discardedDay,
      Boolean atTarget) {}

  record WeightView(
      Double latestKg,
      String latestDay,
      Double weekAgoKg,
      Double gainKg,
      Double baselineKg,
      String baselineDay,
      Boolean gainExceeded) {}

  record OxygenView(int readings, Double median, Double inRangePercent, List<String> trends) {}

  record MetricsView(
      Instant at,
      GlucoseView glucose,
      BloodPressureView bloodPressure,
      WeightView weight,
      OxygenView oxygen,
      List<CareSummaries.Summary> summaries) {}

  record BinView(
      String start, int readings, Double p5, Double p25, Double median, Double p75, Double p95) {}

  record ProfileView(
      Instant from, Instant to, long binMinutes, String timeZone, List<BinView> bins) {}

  record ReviewBody(Instant startedAt, Integer seconds) {}

  private final CarePlans plans;
  private final CareMetrics metrics;
  private final ProgramReports reports;
  private final ReviewTimes reviews;
  private final PatientRepository patients;
  private final PatientAccess access;
  private final AuditTrail audit;
  private final AuditAgents agents;
  private final Clock clock = Clock.systemUTC();

  CarePlanController(
      CarePlans plans,
      CareMetrics metrics,
      ProgramReports reports,
      ReviewTimes reviews,
      PatientRepository patients,
      PatientAccess access,
      AuditTrail audit,
      AuditAgents agents) {
    this.plans = plans;
    this.metrics = metrics;
    this.reports = reports;
    this.reviews = reviews;
    this.patients = patients;
    this.access = access;
    this.audit = audit;
    this.agents = agents;
  }

  @GetMapping("/api/v1/patients/{patientId}/care-plan")
  PlanView plan(@PathVariable String patientId, Authentication caller) {
    requireReader(patientId, caller, "read care plan");
    CarePlan plan = planOf(patientId);
    audited(patientId, "R", "read care plan " + plan.id());
    return PlanView.of(plan);
  }

  @PutMapping("/api/v1/patients/{patientId}/care-plan")
  PlanView write(
      @PathVariable String patientId,
      @RequestBody(required = false) PlanBody body,
      Authentication caller) {
    PatientAccess.Scope scope = access.of(caller);
    if (scope.role().orElse(null) != Role.CLINICIAN || !scope.mayAccess(patientId)) {
      refuse(patientId, "U", "write care plan", "only a clinician looking after the patient may");
    }
    if (patients.find(patientId).isEmpty()) {
      throw new ApiException(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no patient " + patientId);
    }
    if (body == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "a care plan is required");
    }
    Set<CareProgram> programs = EnumSet.noneOf(CareProgram.class);
    for (String code : Optional.ofNullable(body.programs()).orElse(List.of())) {
      programs.add(
          CareProgram.ofCode(code)
              .orElseThrow(() ->
                  new ApiException(
                      HttpStatus.BAD_REQUEST,
                      IssueType.CODEINVALID,
                      "programs: one of diabetes, hypertension, heart-failure, copd, not "
                          + code)));
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(Optional.ofNullable(body.timeZone()).orElse("UTC"));
    } catch (DateTimeException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.INVALID,
          "timeZone: an IANA time zone such as Europe/London, not " + body.timeZone());
    }
    String status = Optional.ofNullable(body.status()).orElse("active");
    if (!Set.of("active", "revoked").contains(status)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.CODEINVALID, "status: active or revoked");
    }
    if (body.note() != null && body.note().length() > 1000) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.TOOLONG, "note: at most 1000 characters");
    }
    CareTargets targets = targets(programs, body.targets());
    return PlanView.of(
        plans.save(
            patientId,
            status.equals("active"),
            programs,
            zone,
            targets,
            Optional.ofNullable(body.note()).filter(n -> !n.isBlank()),
            agents.current()));
  }

  private static CareTargets targets(Set<CareProgram> programs, TargetsBody given) {
    CareTargets d = CareTargets.defaults(programs);
    if (given == null) {
      return d;
    }
    try {
      return new CareTargets(
          or(given.bpSystolicBelow(), d.bpSystolicBelow()),
          or(given.bpDiastolicBelow(), d.bpDiastolicBelow()),
          or(given.glucoseLow(), d.glucoseLow()),
          or(given.glucoseHigh(), d.glucoseHigh()),
          or(given.tirGoalPercent(), d.tirGoalPercent()),
          given.cgmIntervalMinutes() == null
              ? d.cgmInterval()
              : Duration.ofMinutes(given.cgmIntervalMinutes()),
          Optional.ofNullable(given.targetWeightKg()),
          new WeightGain(
              or(given.weightGainKg(), d.weightGain().kg()),
              given.weightGainDays() == null ? d.weightGain().days() : given.weightGainDays()),
          or(given.spo2Low(), d.spo2Low()),
          or(given.spo2High(), d.spo2High()));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.INVALID, "targets: " + e.getMessage());
    }
  }

  private static double or(Double given, double otherwise) {
    return given == null ? otherwise : given;
  }

  @GetMapping("/api/v1/patients/{patientId}/care-metrics")
  MetricsView metrics(
      @PathVariable String patientId,
      @RequestParam(required = false) String at,
      Authentication caller) {
    requireReader(patientId, caller, "read care metrics");
    CarePlan plan = planOf(patientId);
    Instant when = instant("at", at).orElse(clock.instant());
    CareMetrics.Snapshot s = metrics.of(plan, when);
    audited(patientId, "R", "read care metrics");
    TimeInRange g = s.glucose();
    HomeBloodPressure bp = s.bloodPressure();
    CareMetrics.Weight w = s.weight();
    Optional<WeightGain.Assessment> hf = w.heartFailure();
    return new MetricsView(
        when,
        new GlucoseView(
            g.from(),
            g.to(),
            g.readings(),
            g.expectedReadings(),
            g.capturePercent(),
            g.sufficient(),
            n(g.tir()),
            n(g.tbr70()),
            n(g.tbr54()),
            n(g.tar180()),
            n(g.tar250()),
            n(g.mean()),
            n(g.sd()),
            n(g.cv()),
            n(g.gmi()),
            n(s.inPersonalRange()),
            g.targetsMet()),
        new BloodPressureView(
            bp.days(),
            bp.readings(),
            bp.sufficient(),
            n(bp.systolic()),
            n(bp.diastolic()),
            bp.morningReadings(),
            n(bp.morningSystolic()),
            n(bp.morningDiastolic()),
            bp.discardedDay().map(Object::toString).orElse(null),
            bp.atTarget(plan.targets().bpSystolicBelow(), plan.targets().bpDiastolicBelow())
                .orElse(null)),
        new WeightView(
            w.latest().orElse(null),
            w.latestDay().map(Object::toString).orElse(null),
            w.weekAgo().orElse(null),
            hf.map(WeightGain.Assessment::gain).orElse(null),
            hf.map(WeightGain.Assessment::baseline).orElse(null),
            hf.map(a -> a.baselineDay().toString()).orElse(null),
            hf.map(WeightGain.Assessment::exceeded).orElse(null)),
        new OxygenView(
            s.oxygen().readings(),
            n(s.oxygen().median()),
            n(s.oxygen().inRangePercent()),
            s.oxygen().trends()),
        CareSummaries.of(s));
  }

  @GetMapping("/api/v1/patients/{patientId}/glucose-profile")
  ProfileView profile(
      @PathVariable String patientId,
      @RequestParam(required = false) Integer days,
      @RequestParam(required = false) Integer binMinutes,
      @RequestParam(required = false) String at,
      Authentication caller) {
    requireReader(patientId, caller, "read glucose profile");
    CarePlan plan = planOf(patientId);
    int span = days == null ? 14 : days;
    int bin = binMinutes == null ? 60 : binMinutes;
    if (span < 1 || span > 90) {
      throw new ApiException(HttpStatus.BAD_REQUEST, IssueType.INVALID, "days: 1–90");
    }
    if (bin < 5 || bin > 240 || 1440 % bin != 0) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.INVALID,
          "binMinutes: 5–240, dividing a day (15, 30, 60…)");
    }
    Instant to = instant("at", at).orElse(clock.instant());
    Instant from = to.minus(Duration.ofDays(span));
    GlucoseProfile profile =
        GlucoseProfile.of(
            metrics.glucose(patientId, from, to), plan.zone(), Duration.ofMinutes(bin));
    audited(patientId, "R", "read glucose profile");
    return new ProfileView(
        from,
        to,
        bin,
        plan.zone().getId(),
        profile.bins().stream()
            .map(b ->
                new BinView(
                    b.start().toString(),
                    b.readings(),
                    n(b.p5()),
                    n(b.p25()),
                    n(b.median()),
                    n(b.p75()),
                    n(b.p95())))
            .toList());
  }

  @PostMapping("/api/v1/patients/{patientId}/review-time")
  ResponseEntity<Void> review(
      @PathVariable String patientId,
      @RequestBody(required = false) ReviewBody body,
      Authentication caller) {
    PatientAccess.Scope scope = access.of(caller);
    Optional<Role> role = scope.role();
    if (role.filter(r -> r == Role.CLINICIAN || r == Role.NURSE).isEmpty()
        || !scope.mayAccess(patientId)) {
      refuse(patientId, "C", "log review time", "only staff looking after the patient may");
    }
    if (body == null || body.seconds() == null || body.startedAt() == null) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "startedAt and seconds are required");
    }
    if (body.seconds() < 1 || body.seconds() > ReviewTimes.LONGEST.toSeconds()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.INVALID,
          "seconds: 1–"
              + ReviewTimes.LONGEST.toSeconds()
              + " (one entry per view, at most an hour)");
    }
    if (body.startedAt().isAfter(clock.instant().plusSeconds(60))) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, IssueType.INVALID, "startedAt: not in the future");
    }
    reviews.record(patientId, caller.getName(), body.startedAt(), body.seconds(), agents.current());
    return ResponseEntity.noContent().build();
  }

  @GetMapping(
      path = "/api/v1/patients/{patientId}/program-report",
      produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> reportHtml(
      @PathVariable String patientId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      Authentication caller) {
    ProgramReport report = report(patientId, from, to, caller, "html");
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(reports.html(report));
  }

  @GetMapping("/api/v1/patients/{patientId}/program-report.pdf")
  ResponseEntity<byte[]> reportPdf(
      @PathVariable String patientId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      Authentication caller) {
    ProgramReport report = report(patientId, from, to, caller, "pdf");
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_PDF)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            "attachment; filename=\"program-report-" + patientId + ".pdf\"")
        .body(reports.pdf(report));
  }

  private ProgramReport report(
      String patientId, String from, String to, Authentication caller, String format) {
    PatientAccess.Scope scope = access.of(caller);
    if (scope.role().filter(r -> r == Role.CLINICIAN || r == Role.NURSE).isEmpty()
        || !scope.mayAccess(patientId)) {
      refuse(
          patientId,
          "R",
          "read program report",
          "only staff looking after the patient may read their program report");
    }
    CarePlan plan = planOf(patientId);
    Instant end = instant("to", to).orElse(clock.instant());
    Instant start = instant("from", from).orElse(end.minus(Duration.ofDays(30)));
    if (!end.isAfter(start) || Duration.between(start, end).toDays() > 366) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.INVALID,
          "from, to: from before to, at most a year apart");
    }
    ProgramReport report = reports.build(plan, start, end);
    audited(patientId, "R", "read program report (" + format + ") " + start + " to " + end);
    return report;
  }

  private static Optional<Instant> instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          IssueType.INVALID,
          name + ": an instant such as 2026-12-01T00:00:00Z, not " + value);
    }
  }

  private CarePlan planOf(String patientId) {
    return plans
        .of(patientId)
        .orElseThrow(() ->
            new ApiException(
                HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no care plan for " + patientId));
  }

  private void requireReader(String patientId, Authentication caller, String what) {
    PatientAccess.Scope scope = access.of(caller);
    boolean reader =
        scope.role().isPresent()
            ? scope.mayAccess(patientId)
            : ScopeAuthorization.grants(caller, "CarePlan", 'r');
    if (!reader) {
      refuse(patientId, "R", what, "not one of the caller's patients");
    }
  }

  private void audited(String patientId, String action, String what) {
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

  private static Double n(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
