package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.vigil.alarm.Alarm;
import org.vigil.alarm.AlarmPriority;
import org.vigil.alarm.Alarms;
import org.vigil.security.PatientAccess;

/**
 * Alarms as FHIR Flags: an open alarm is an {@code active} Flag, a resolved one {@code inactive};
 * its priority is the standard flag-priority extension (PH, PM, PL), its summary the code's text.
 * {@code Flag?status=active} is the hospital's alarm list for systems that speak only FHIR; {@code
 * patient} narrows it to one patient, which people must name (their ward's list is {@code
 * /api/v1/alarms}), and they only ever get their own patients' flags.
 */
@Component
public class FlagProvider implements IResourceProvider {

  static final String PRIORITY_EXTENSION = "http://hl7.org/fhir/StructureDefinition/flag-priority";
  static final String PRIORITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-priority-code";
  static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/flag-category";
  static final String CONDITION_SYSTEM = "https://vigil.health/fhir/CodeSystem/alarm-condition";

  private final Alarms alarms;

  FlagProvider(Alarms alarms) {
    this.alarms = alarms;
  }

  @Override
  public Class<Flag> getResourceType() {
    return Flag.class;
  }

  @Read
  public Flag read(@IdParam IdType id) {
    if (!id.isIdPartValidLong()) {
      throw new ResourceNotFoundException(id);
    }
    return alarms
        .find(id.getIdPartAsLong())
        .map(FlagProvider::toFlag)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  /**
   * Flags of one patient (open and past, newest first), or the open flags of every patient the
   * caller may see.
   */
  @Search
  public IBundleProvider search(
      @OptionalParam(name = Flag.SP_PATIENT) ReferenceParam patient,
      @OptionalParam(name = Flag.SP_SUBJECT) ReferenceParam subject,
      @OptionalParam(name = "status") TokenParam status,
      @Count Integer count,
      RequestDetails request) {
    if (patient != null && subject != null) {
      throw new InvalidRequestException("give either patient or subject, not both");
    }
    Optional<String> wanted = Optional.ofNullable(status).map(TokenParam::getValue);
    if (wanted.isPresent() && !Set.of("active", "inactive").contains(wanted.get())) {
      throw new InvalidRequestException("status is active or inactive, not " + wanted.get());
    }
    int max = count == null ? 100 : Math.max(0, Math.min(count, 1000));
    ReferenceParam named = patient != null ? patient : subject;
    List<Alarm> found;
    if (named != null) {
      if (named.getResourceType() != null && !"Patient".equals(named.getResourceType())) {
        throw new InvalidRequestException("the subject must be a Patient");
      }
      found = alarms.ofPatient(named.getIdPart(), 1000);
    } else {
      PatientAccess.Scope scope =
          (PatientAccess.Scope) request.getUserData().get(PatientCompartmentRules.SCOPE);
      if (wanted.isPresent() && wanted.get().equals("inactive")) {
        throw new InvalidRequestException("past flags are searched per patient (patient=…)");
      }
      found =
          alarms.open(
              scope == null || scope.allPatients()
                  ? Optional.empty()
                  : Optional.of(scope.patients()));
    }
    List<IBaseResource> flags =
        found.stream()
            .filter(a ->
                wanted.isEmpty() || wanted.get().equals(a.status().open() ? "active" : "inactive"))
            .limit(max)
            .<IBaseResource>map(FlagProvider::toFlag)
            .toList();
    SimpleBundleProvider bundle = new SimpleBundleProvider(flags);
    bundle.setPreferredPageSize(Math.max(1, flags.size()));
    return bundle;
  }

  /** The alarm as a Flag, as this API and Subscriptions on Flag show it. */
  public static Flag toFlag(Alarm alarm) {
    Flag flag = new Flag();
    flag.setId(String.valueOf(alarm.id()));
    flag.getMeta().setLastUpdated(Date.from(alarm.updatedAt()));
    flag.setStatus(alarm.status().open() ? Flag.FlagStatus.ACTIVE : Flag.FlagStatus.INACTIVE);
    flag.addCategory(new CodeableConcept(new Coding(CATEGORY_SYSTEM, "clinical", "Clinical")));
    flag.setCode(
        new CodeableConcept(new Coding(CONDITION_SYSTEM, alarm.condition(), null))
            .setText(alarm.summary()));
    flag.setSubject(new Reference("Patient/" + alarm.patientId()));
    Period period = new Period().setStart(Date.from(alarm.raisedAt()));
    alarm.resolvedAt().ifPresent(end -> period.setEnd(Date.from(end)));
    flag.setPeriod(period);
    flag.addExtension()
        .setUrl(PRIORITY_EXTENSION)
        .setValue(new CodeableConcept(priorityCoding(alarm.priority())));
    return flag;
  }

  private static Coding priorityCoding(AlarmPriority priority) {
    return switch (priority) {
      case HIGH -> new Coding(PRIORITY_SYSTEM, "PH", "High priority");
      case MEDIUM -> new Coding(PRIORITY_SYSTEM, "PM", "Medium priority");
      case LOW -> new Coding(PRIORITY_SYSTEM, "PL", "Low priority");
    };
  }
}
