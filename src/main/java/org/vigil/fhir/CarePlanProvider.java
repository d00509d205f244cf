package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.chronic.CarePlans;
import org.vigil.chronic.CareProgram;
import org.vigil.security.PatientAccess;

/**
 * Chronic-care plans as FHIR CarePlans: one per patient, {@code active} or {@code revoked}, intent
 * {@code plan}, a category per program (Vigil's code and the condition's SNOMED CT concept), and
 * the plan's Goals by reference ({@link GoalProvider}). Written by clinicians through {@code PUT
 * /api/v1/patients/{id}/care-plan}, and by systems here (create, update: {@link CarePlanWrites});
 * read and searched here.
 */
@Component
public class CarePlanProvider implements IResourceProvider {

  static final String PROGRAM_SYSTEM = "https://vigil.health/fhir/CodeSystem/care-program";
  static final String SNOMED = "http://snomed.info/sct";

  private final CarePlans plans;
  private final CarePlanWrites writes;

  CarePlanProvider(CarePlans plans, CarePlanWrites writes) {
    this.plans = plans;
    this.writes = writes;
  }

  /** A system's new care plan for a patient without one ({@link CarePlanWrites}). */
  @Create
  public MethodOutcome create(@ResourceParam CarePlan plan) {
    return writes.create(plan);
  }

  /** A system's change to a care plan: the next version. */
  @Update
  public MethodOutcome update(@IdParam IdType id, @ResourceParam CarePlan plan) {
    return writes.update(id, plan);
  }

  @Override
  public Class<CarePlan> getResourceType() {
    return CarePlan.class;
  }

  @Read
  public CarePlan read(@IdParam IdType id) {
    if (!id.isIdPartValidLong()) {
      throw new ResourceNotFoundException(id);
    }
    return plans
        .find(id.getIdPartAsLong())
        .map(CarePlanProvider::toCarePlan)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  /** The patient's plan, or every plan the caller may see. */
  @Search
  public IBundleProvider search(
      @OptionalParam(name = CarePlan.SP_PATIENT) ReferenceParam patient,
      @OptionalParam(name = CarePlan.SP_SUBJECT) ReferenceParam subject,
      @Count Integer count,
      RequestDetails request) {
    int max = count == null ? 100 : Math.max(0, Math.min(count, 1000));
    List<org.vigil.chronic.CarePlan> found = ofPatients(patient, subject, request, plans, max);
    List<IBaseResource> resources =
        found.stream().limit(max).<IBaseResource>map(CarePlanProvider::toCarePlan).toList();
    SimpleBundleProvider bundle = new SimpleBundleProvider(resources);
    bundle.setPreferredPageSize(Math.max(1, resources.size()));
    return bundle;
  }

  /** The plans of the named patient, or of every patient the caller may see. */
  static List<org.vigil.chronic.CarePlan> ofPatients(
      ReferenceParam patient,
      ReferenceParam subject,
      RequestDetails request,
      CarePlans plans,
      int max) {
    if (patient != null && subject != null) {
      throw new InvalidRequestException("give either patient or subject, not both");
    }
    ReferenceParam named = patient != null ? patient : subject;
    if (named != null) {
      if (named.getResourceType() != null && !"Patient".equals(named.getResourceType())) {
        throw new InvalidRequestException("the subject must be a Patient");
      }
      return plans.of(named.getIdPart()).stream().toList();
    }
    PatientAccess.Scope scope =
        (PatientAccess.Scope) request.getUserData().get(PatientCompartmentRules.SCOPE);
    if (scope == null || scope.allPatients()) {
      return plans.all(max);
    }
    return scope.patients().stream()
        .sorted()
        .map(plans::of)
        .flatMap(Optional::stream)
        .limit(max)
        .toList();
  }

  static CarePlan toCarePlan(org.vigil.chronic.CarePlan plan) {
    CarePlan fhir = new CarePlan();
    fhir.setId(String.valueOf(plan.id()));
    fhir.getMeta().setVersionId(String.valueOf(plan.version()));
    fhir.getMeta().setLastUpdated(Date.from(plan.updatedAt()));
    fhir.setStatus(
        plan.active() ? CarePlan.CarePlanStatus.ACTIVE : CarePlan.CarePlanStatus.REVOKED);
    fhir.setIntent(CarePlan.CarePlanIntent.PLAN);
    fhir.setTitle("Chronic-care plan");
    fhir.setSubject(new Reference("Patient/" + plan.patientId()));
    fhir.setCreated(Date.from(plan.createdAt()));
    fhir.getPeriod().setStart(Date.from(plan.createdAt()));
    fhir.setAuthor(new Reference().setDisplay(plan.updatedBy()));
    plan.note().ifPresent(fhir::setDescription);
    plan.programs().stream().sorted().forEach(program -> fhir.addCategory(category(program)));
    for (String goal : GoalProvider.goalIds(plan)) {
      fhir.addGoal(new Reference("Goal/" + goal));
    }
    return fhir;
  }

  private static CodeableConcept category(CareProgram program) {
    return new CodeableConcept()
        .addCoding(new Coding(PROGRAM_SYSTEM, program.code(), program.display()))
        .addCoding(new Coding(SNOMED, program.snomed(), program.display()))
        .setText(program.display());
  }
}
