package org.vigil.fhir;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;
import org.vigil.api.OperationOutcomes;
import org.vigil.audit.AuditAgents;
import org.vigil.chronic.CarePlans;
import org.vigil.chronic.CareProgram;
import org.vigil.chronic.CareTargets;
import org.vigil.patient.PatientRepository;

/**
 * A CarePlan written over FHIR — by a system with {@code system/CarePlan.c} / {@code .u} (people
 * write plans in the web app): the patient ({@code subject}), {@code status} active or revoked, a
 * category per program (Vigil's care-program codes), the home time zone (extension), and the
 * targets as <em>contained</em> Goals the plan refers to ({@code goal: #id}), read by their target
 * measures exactly as {@link GoalProvider} writes them. Targets not given take their defaults. Each
 * problem is a 422 whose issue names the element.
 */
@Component
class CarePlanWrites {

  static final String TIME_ZONE_EXTENSION =
      "https://vigil.health/fhir/StructureDefinition/home-time-zone";

  private final CarePlans plans;
  private final PatientRepository patients;
  private final OperationOutcomes outcomes;
  private final AuditAgents agents;

  CarePlanWrites(
      CarePlans plans, PatientRepository patients, OperationOutcomes outcomes, AuditAgents agents) {
    this.plans = plans;
    this.patients = patients;
    this.outcomes = outcomes;
    this.agents = agents;
  }

  MethodOutcome create(CarePlan resource) {
    String patientId = patientOf(resource);
    if (plans.of(patientId).isPresent()) {
      throw new InvalidRequestException(
          "the patient has a care plan already ("
              + plans.of(patientId).get().id()
              + "): update it with PUT CarePlan/{id}");
    }
    return write(patientId, resource, true);
  }

  MethodOutcome update(IdType id, CarePlan resource) {
    if (!id.isIdPartValidLong()) {
      throw new ResourceNotFoundException(id);
    }
    org.vigil.chronic.CarePlan existing =
        plans.find(id.getIdPartAsLong()).orElseThrow(() -> new ResourceNotFoundException(id));
    if (resource.hasIdElement() && !resource.getIdElement().getIdPart().equals(id.getIdPart())) {
      throw new InvalidRequestException("the body's id must be the URL's, " + id.getIdPart());
    }
    String patientId = patientOf(resource);
    if (!patientId.equals(existing.patientId())) {
      throw unprocessable("a care plan stays with its patient", "CarePlan.subject");
    }
    return write(patientId, resource, false);
  }

  private MethodOutcome write(String patientId, CarePlan resource, boolean created) {
    List<OperationOutcomes.Issue> problems = new ArrayList<>();
    boolean active = status(resource, problems);
    Set<CareProgram> programs = programs(resource, problems);
    ZoneId zone = zone(resource, problems);
    CareTargets targets = targets(resource, programs, problems);
    if (!problems.isEmpty()) {
      throw new UnprocessableEntityException(
          problems.stream()
              .map(OperationOutcomes.Issue::diagnostics)
              .collect(Collectors.joining("; ")),
          outcomes.outcome(problems));
    }
    org.vigil.chronic.CarePlan saved =
        plans.save(
            patientId,
            active,
            programs,
            zone,
            targets,
            Optional.ofNullable(resource.getDescription()).filter(d -> !d.isBlank()),
            agents.current());
    MethodOutcome outcome =
        new MethodOutcome(
            new IdType("CarePlan", String.valueOf(saved.id()), String.valueOf(saved.version())),
            created);
    outcome.setResource(CarePlanProvider.toCarePlan(saved));
    return outcome;
  }

  private String patientOf(CarePlan resource) {
    Reference subject = resource.getSubject();
    if (subject == null
        || !"Patient".equals(subject.getReferenceElement().getResourceType())
        || !subject.getReferenceElement().hasIdPart()) {
      throw unprocessable("a care plan's subject is a Patient (Patient/{id})", "CarePlan.subject");
    }
    String id = subject.getReferenceElement().getIdPart();
    if (patients.find(id).isEmpty()) {
      throw unprocessable("no patient " + id, "CarePlan.subject");
    }
    return id;
  }

  private static boolean status(CarePlan resource, List<OperationOutcomes.Issue> problems) {
    if (resource.getStatus() == CarePlan.CarePlanStatus.ACTIVE) {
      return true;
    }
    if (resource.getStatus() == CarePlan.CarePlanStatus.REVOKED) {
      return false;
    }
    problems.add(issue("status is active or revoked", "CarePlan.status"));
    return true;
  }

  private static Set<CareProgram> programs(
      CarePlan resource, List<OperationOutcomes.Issue> problems) {
    Set<CareProgram> programs = EnumSet.noneOf(CareProgram.class);
    for (CodeableConcept category : resource.getCategory()) {
      for (Coding coding : category.getCoding()) {
        if (!CarePlanProvider.PROGRAM_SYSTEM.equals(coding.getSystem())) {
          continue;
        }
        Optional<CareProgram> program = CareProgram.ofCode(coding.getCode());
        if (program.isPresent()) {
          programs.add(program.get());
        } else {
          problems.add(
              issue(
                  "a care program is diabetes, hypertension, heart-failure or copd, not "
                      + coding.getCode(),
                  "CarePlan.category"));
        }
      }
    }
    return programs;
  }

  private static ZoneId zone(CarePlan resource, List<OperationOutcomes.Issue> problems) {
    var extension = resource.getExtensionByUrl(TIME_ZONE_EXTENSION);
    if (extension == null) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(extension.getValue().primitiveValue());
    } catch (DateTimeException | NullPointerException e) {
      problems.add(
          issue("the home time zone is an IANA zone such as Europe/London", "CarePlan.extension"));
      return ZoneOffset.UTC;
    }
  }

  /** The targets from the contained Goals the plan refers to; defaults for the rest. */
  private static CareTargets targets(
      CarePlan resource, Set<CareProgram> programs, List<OperationOutcomes.Issue> problems) {
    CareTargets d = CareTargets.defaults(programs);
    double[] v = {
      d.bpSystolicBelow(),
      d.bpDiastolicBelow(),
      d.glucoseLow(),
      d.glucoseHigh(),
      d.tirGoalPercent(),
      d.spo2Low(),
      d.spo2High()
    };
    Optional<Double> weight = Optional.empty();
    for (Reference ref : resource.getGoal()) {
      Optional<Goal> goal = contained(resource, ref);
      if (goal.isEmpty()) {
        problems.add(
            issue(
                "a goal is contained in the care plan (#id): " + ref.getReference(),
                "CarePlan.goal"));
        continue;
      }
      for (Goal.GoalTargetComponent target : goal.get().getTarget()) {
        String code = target.getMeasure().getCodingFirstRep().getCode();
        String where = "Goal.target.detail";
        try {
          switch (code == null ? "" : code) {
            case "8480-6" -> v[0] = quantity(target, where);
            case "8462-4" -> v[1] = quantity(target, where);
            case "2339-0", "41653-7" -> {
              Range range = target.getDetailRange();
              v[2] = range.getLow().getValue().doubleValue();
              v[3] = range.getHigh().getValue().doubleValue();
            }
            case "time-in-range" -> v[4] = quantity(target, where);
            case "29463-7" -> weight = Optional.of(quantity(target, where));
            case "59408-5" -> {
              Range range = target.getDetailRange();
              v[5] = range.getLow().getValue().doubleValue();
              v[6] = range.getHigh().getValue().doubleValue();
            }
            default ->
                problems.add(
                    issue(
                        "a goal's measure is 8480-6, 8462-4, 2339-0, time-in-range, 29463-7 or"
                            + " 59408-5, not "
                            + code,
                        "Goal.target.measure"));
          }
        } catch (RuntimeException e) {
          problems.add(
              issue("the target " + code + " needs its value (" + e.getMessage() + ")", where));
        }
      }
    }
    try {
      return new CareTargets(
          v[0], v[1], v[2], v[3], v[4], d.cgmInterval(), weight, d.weightGain(), v[5], v[6]);
    } catch (IllegalArgumentException e) {
      problems.add(issue(e.getMessage(), "Goal.target.detail"));
      return d;
    }
  }

  private static double quantity(Goal.GoalTargetComponent target, String where) {
    if (!target.hasDetailQuantity() || !target.getDetailQuantity().hasValue()) {
      throw new IllegalArgumentException("a Quantity at " + where);
    }
    Quantity q = target.getDetailQuantity();
    return q.getValue().doubleValue();
  }

  private static Optional<Goal> contained(CarePlan plan, Reference ref) {
    if (ref.getResource() instanceof Goal inline) {
      return Optional.of(inline);
    }
    String reference = ref.getReference();
    if (reference == null || !reference.startsWith("#")) {
      return Optional.empty();
    }
    for (Resource r : plan.getContained()) {
      if (r instanceof Goal g && reference.substring(1).equals(g.getIdElement().getIdPart())) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  private static OperationOutcomes.Issue issue(String problem, String expression) {
    return new OperationOutcomes.Issue(IssueType.PROCESSING, problem, expression);
  }

  private UnprocessableEntityException unprocessable(String problem, String expression) {
    return new UnprocessableEntityException(
        problem, outcomes.outcome(List.of(issue(problem, expression))));
  }
}
