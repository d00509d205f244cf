package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.chronic.CarePlan;
import org.vigil.chronic.CarePlans;
import org.vigil.chronic.CareProgram;
import org.vigil.chronic.CareTargets;

/**
 * A care plan's personal targets as FHIR Goals, one per program, with the id {@code
 * {plan}-{program}}: home blood pressure below the target (LOINC 8480-6 and 8462-4, comparator
 * {@code <}); glucose in the plan's range (LOINC 2339-0, a Range) for more than the TIR goal;
 * weight (LOINC 29463-7, the target weight if set, and the heart-failure gain rule in the
 * description); SpO2 in its range (LOINC 59408-5). A revoked plan's goals are {@code cancelled}.
 */
@Component
public class GoalProvider implements IResourceProvider {

  static final String LOINC = "http://loinc.org";
  static final String UCUM = "http://unitsofmeasure.org";
  static final String VIGIL_MEASURE = "https://vigil.health/fhir/CodeSystem/care-measure";

  private final CarePlans plans;

  GoalProvider(CarePlans plans) {
    this.plans = plans;
  }

  @Override
  public Class<Goal> getResourceType() {
    return Goal.class;
  }

  @Read
  public Goal read(@IdParam IdType id) {
    String[] parts = id.getIdPart().split("-", 2);
    if (parts.length != 2 || !parts[0].matches("[0-9]{1,18}")) {
      throw new ResourceNotFoundException(id);
    }
    CareProgram program =
        CareProgram.ofCode(parts[1]).orElseThrow(() -> new ResourceNotFoundException(id));
    return plans
        .find(Long.parseLong(parts[0]))
        .filter(plan -> plan.programs().contains(program))
        .map(plan -> toGoal(plan, program))
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public IBundleProvider search(
      @OptionalParam(name = Goal.SP_PATIENT) ReferenceParam patient,
      @OptionalParam(name = Goal.SP_SUBJECT) ReferenceParam subject,
      @Count Integer count,
      RequestDetails request) {
    int max = count == null ? 100 : Math.max(0, Math.min(count, 1000));
    List<IBaseResource> goals = new ArrayList<>();
    for (CarePlan plan : CarePlanProvider.ofPatients(patient, subject, request, plans, max)) {
      plan.programs().stream().sorted().forEach(p -> goals.add(toGoal(plan, p)));
    }
    List<IBaseResource> page = goals.stream().limit(max).toList();
    SimpleBundleProvider bundle = new SimpleBundleProvider(page);
    bundle.setPreferredPageSize(Math.max(1, page.size()));
    return bundle;
  }

  static List<String> goalIds(CarePlan plan) {
    return plan.programs().stream().sorted().map(p -> plan.id() + "-" + p.code()).toList();
  }

  static Goal toGoal(CarePlan plan, CareProgram program) {
    CareTargets t = plan.targets();
    Goal goal = new Goal();
    goal.setId(plan.id() + "-" + program.code());
    goal.getMeta().setVersionId(String.valueOf(plan.version()));
    goal.getMeta().setLastUpdated(Date.from(plan.updatedAt()));
    goal.setLifecycleStatus(
        plan.active() ? Goal.GoalLifecycleStatus.ACTIVE : Goal.GoalLifecycleStatus.CANCELLED);
    goal.setSubject(new Reference("Patient/" + plan.patientId()));
    goal.addCategory(
        new CodeableConcept(
            new Coding(CarePlanProvider.PROGRAM_SYSTEM, program.code(), program.display())));
    goal.getStartDateType().setValue(Date.from(plan.createdAt()));
    goal.addAddresses().setDisplay(program.display());
    switch (program) {
      case HYPERTENSION -> {
        goal.getDescription()
            .setText(
                "Home blood pressure below "
                    + whole(t.bpSystolicBelow())
                    + "/"
                    + whole(t.bpDiastolicBelow())
                    + " mmHg (ESH protocol average)");
        goal.addTarget()
            .setMeasure(loinc("8480-6", "Systolic blood pressure"))
            .setDetail(below(t.bpSystolicBelow(), "mm[Hg]", "mmHg"));
        goal.addTarget()
            .setMeasure(loinc("8462-4", "Diastolic blood pressure"))
            .setDetail(below(t.bpDiastolicBelow(), "mm[Hg]", "mmHg"));
      }
      case DIABETES -> {
        goal.getDescription()
            .setText(
                "Glucose "
                    + whole(t.glucoseLow())
                    + "–"
                    + whole(t.glucoseHigh())
                    + " mg/dL more than "
                    + whole(t.tirGoalPercent())
                    + "% of the time (consensus, Battelino 2019)");
        goal.addTarget()
            .setMeasure(loinc("2339-0", "Glucose [Mass/volume] in Blood"))
            .setDetail(
                new Range()
                    .setLow(quantity(t.glucoseLow(), "mg/dL", "mg/dL"))
                    .setHigh(quantity(t.glucoseHigh(), "mg/dL", "mg/dL")));
        goal.addTarget()
            .setMeasure(
                new CodeableConcept(
                    new Coding(VIGIL_MEASURE, "time-in-range", "Time in the glucose range")))
            .setDetail(
                quantity(t.tirGoalPercent(), "%", "%")
                    .setComparator(Quantity.QuantityComparator.GREATER_THAN));
      }
      case HEART_FAILURE -> {
        goal.getDescription()
            .setText(
                t.targetWeightKg().map(kg -> "Weight " + kg + " kg; ").orElse("")
                    + "no gain of more than "
                    + t.weightGain().kg()
                    + " kg over "
                    + t.weightGain().days()
                    + " days (ESC 2021)");
        t.targetWeightKg()
            .ifPresent(kg ->
                goal.addTarget()
                    .setMeasure(loinc("29463-7", "Body weight"))
                    .setDetail(quantity(kg, "kg", "kg")));
      }
      case COPD -> {
        goal.getDescription()
            .setText(
                "SpO2 "
                    + whole(t.spo2Low())
                    + "–"
                    + whole(t.spo2High())
                    + "% (NEWS2 SpO2 scale 2, BTS 2017)");
        goal.addTarget()
            .setMeasure(loinc("59408-5", "Oxygen saturation by pulse oximetry"))
            .setDetail(
                new Range()
                    .setLow(quantity(t.spo2Low(), "%", "%"))
                    .setHigh(quantity(t.spo2High(), "%", "%")));
      }
    }
    return goal;
  }

  private static CodeableConcept loinc(String code, String display) {
    return new CodeableConcept(new Coding(LOINC, code, display));
  }

  private static Quantity below(double value, String code, String unit) {
    return quantity(value, code, unit).setComparator(Quantity.QuantityComparator.LESS_THAN);
  }

  private static Quantity quantity(double value, String code, String unit) {
    return new Quantity().setValue(value).setUnit(unit).setSystem(UCUM).setCode(code);
  }

  private static String whole(double value) {
    return String.valueOf(Math.round(value));
  }
}
