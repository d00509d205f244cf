package org.vigil.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Subscription;
import org.vigil.audit.AuditAgents;
import org.vigil.audit.AuditEntry;
import org.vigil.audit.AuditTrail;
import org.vigil.fhir.subscription.Criteria;
import org.vigil.security.PatientAccess;

/**
 * Records every FHIR interaction in the audit trail once it is answered — successful or refused —
 * with the patients whose data it returned or asked about (IHE BALP's "patient" entity). The event
 * is written before the response leaves: if it cannot be recorded, the caller gets an error rather
 * than unaudited data.
 */
@Interceptor
class AuditInterceptor {

  private final AuditTrail trail;
  private final AuditAgents agents;

  AuditInterceptor(AuditTrail trail, AuditAgents agents) {
    this.trail = trail;
    this.agents = agents;
  }

  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  public boolean answered(RequestDetails request, IBaseResource response) {
    if (request.getRestOperationType() == RestOperationTypeEnum.METADATA) {
      return true;
    }
    Set<String> patients = new LinkedHashSet<>(askedAbout(request));
    patientsIn(response, patients);
    if (request.getUserData().get(PatientWrites.WRITTEN) instanceof String written) {
      // the patient a create or update wrote, whether or not the answer shows them
      patients.add(written);
    }
    trail.record(entry(request, AuditEntry.SUCCESS, patients, breakGlass(request, patients)));
    return true;
  }

  @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
  public boolean refused(RequestDetails request, BaseServerResponseException exception) {
    if (request.getRestOperationType() == RestOperationTypeEnum.METADATA) {
      return true;
    }
    int outcome =
        exception.getStatusCode() >= 500 ? AuditEntry.SERIOUS_FAILURE : AuditEntry.MINOR_FAILURE;
    trail.record(
        entry(
            request,
            outcome,
            askedAbout(request),
            Optional.of(exception.getStatusCode() + " " + exception.getMessage())));
    return true;
  }

  /** Flags an access that reached a patient only by break-glass. */
  private static Optional<String> breakGlass(RequestDetails request, Set<String> patients) {
    if (request.getUserData().get(PatientCompartmentRules.SCOPE)
        instanceof PatientAccess.Scope scope) {
      List<String> opened =
          patients.stream().filter(scope.breakGlass()::contains).sorted().toList();
      if (!opened.isEmpty()) {
        return Optional.of("break-glass access to " + String.join(", ", opened));
      }
    }
    return Optional.empty();
  }

  private AuditEntry entry(
      RequestDetails request, int outcome, Set<String> patients, Optional<String> detail) {
    RestOperationTypeEnum operation = request.getRestOperationType();
    return new AuditEntry(
        "fhir", action(operation), outcome, agents.current(), patients, describe(request), detail);
  }

  /** E.g. {@code read Observation/123} or {@code search-type Observation?code=…&patient=p1}. */
  private static String describe(RequestDetails request) {
    String operation =
        request.getRestOperationType() == null
            ? "unknown"
            : request.getRestOperationType().getCode();
    String target =
        request.getId() != null && request.getId().hasIdPart()
            ? request.getResourceName() + "/" + request.getId().getIdPart()
            : Optional.ofNullable(request.getResourceName()).orElse("");
    if (request.getOperation() != null) {
      // e.g. Observation/$lastn, or $export on the whole server
      target = target.isEmpty() ? request.getOperation() : target + "/" + request.getOperation();
    }
    Map<String, String[]> parameters = new TreeMap<>(request.getParameters());
    String query =
        parameters.entrySet().stream()
            .flatMap(e -> Arrays.stream(e.getValue()).map(v -> e.getKey() + "=" + v))
            .collect(Collectors.joining("&"));
    return operation + " " + target + (query.isEmpty() ? "" : "?" + query);
  }

  private static String action(RestOperationTypeEnum operation) {
    if (operation == null) {
      return "E";
    }
    return switch (operation) {
      case READ, VREAD, HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM -> "R";
      case CREATE -> "C";
      case UPDATE, PATCH -> "U";
      case DELETE -> "D";
      default -> "E";
    };
  }

  /**
   * The patient a request names: Patient/{id}, a patient / subject search parameter, or the subject
   * of an Observation (or of each in a Bundle) it sends to be created.
   */
  private static Set<String> askedAbout(RequestDetails request) {
    Set<String> patients = new LinkedHashSet<>();
    patientsIn(request.getResource(), patients);
    if ("Patient".equals(request.getResourceName())
        && request.getId() != null
        && request.getId().hasIdPart()) {
      patients.add(request.getId().getIdPart());
    }
    for (String name : new String[] {"patient", "subject", "_id"}) {
      String[] values = request.getParameters().get(name);
      if (values == null || (name.equals("_id") && !"Patient".equals(request.getResourceName()))) {
        continue;
      }
      for (String value : values) {
        for (String one : value.split(",")) {
          String id = one.startsWith("Patient/") ? one.substring("Patient/".length()) : one;
          if (!id.isBlank()) {
            patients.add(id);
          }
        }
      }
    }
    return patients;
  }

  private static void patientsIn(IBaseResource response, Set<String> patients) {
    if (response instanceof Bundle bundle) {
      bundle.getEntry().forEach(e -> patientsIn(e.getResource(), patients));
    } else if (response instanceof Parameters parameters) {
      parameters.getParameter().forEach(p -> patientsIn(p.getResource(), patients));
    } else if (response instanceof Patient patient && patient.hasIdElement()) {
      patients.add(patient.getIdElement().getIdPart());
    } else if (response instanceof Observation observation) {
      patientOf(observation.getSubject()).ifPresent(patients::add);
    } else if (response instanceof CareTeam team) {
      // who looks after a patient is about that patient
      patientOf(team.getSubject()).ifPresent(patients::add);
    } else if (response instanceof Device device) {
      patientOf(device.getPatient()).ifPresent(patients::add);
    } else if (response instanceof Flag flag) {
      patientOf(flag.getSubject()).ifPresent(patients::add);
    } else if (response instanceof Group group) {
      // a ward's patient list names who is on the ward
      group.getMember().forEach(m -> patientOf(m.getEntity()).ifPresent(patients::add));
    } else if (response instanceof Subscription subscription) {
      // a subscription to a patient's readings or alarms is about that patient
      patients.addAll(Criteria.patientsNamed(subscription.getCriteria()));
    } else if (response instanceof org.hl7.fhir.r4.model.MedicationRequest medicine) {
      patientOf(medicine.getSubject()).ifPresent(patients::add);
    } else if (response instanceof org.hl7.fhir.r4.model.MedicationAdministration given) {
      patientOf(given.getSubject()).ifPresent(patients::add);
    } else if (response instanceof org.hl7.fhir.r4.model.MedicationStatement stated) {
      patientOf(stated.getSubject()).ifPresent(patients::add);
    } else if (response instanceof AuditEvent event) {
      event.getEntity().forEach(e -> patientOf(e.getWhat()).ifPresent(patients::add));
    }
  }

  private static Optional<String> patientOf(Reference reference) {
    if (reference == null || !reference.hasReference()) {
      return Optional.empty();
    }
    var id = reference.getReferenceElement();
    return "Patient".equals(id.getResourceType()) && id.hasIdPart()
        ? Optional.of(id.getIdPart())
        : Optional.empty();
  }
}
