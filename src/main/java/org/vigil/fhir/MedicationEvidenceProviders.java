package org.vigil.fhir;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vigil.medication.Intake;
import org.vigil.medication.IntakeKind;
import org.vigil.medication.Intakes;
import org.vigil.medication.MedicationSchedules;

/**
 * Evidence of intake in FHIR: a dispenser's as MedicationAdministration, the patient's own reports
 * as MedicationStatement — read, and searched by {@code patient} or {@code subject}, newest first.
 * Refill notices are no administration and are not listed.
 */
@Configuration(proxyBeanMethods = false)
class MedicationEvidenceProviders {

  @Bean
  AdministrationProvider medicationAdministrations(Intakes intakes, MedicationSchedules schedules) {
    return new AdministrationProvider(intakes, schedules);
  }

  @Bean
  StatementProvider medicationStatements(Intakes intakes, MedicationSchedules schedules) {
    return new StatementProvider(intakes, schedules);
  }

  private static List<Intake> search(
      Intakes intakes,
      Optional<String> patient,
      RequestDetails request,
      Integer count,
      Predicate<Intake> which) {
    int max = count == null ? 100 : Math.max(0, Math.min(count, 1000));
    List<Intake> found;
    if (patient.isPresent()) {
      found = intakes.latestOfPatient(patient.get(), 5000);
    } else {
      var scope =
          (org.vigil.security.PatientAccess.Scope)
              request.getUserData().get(PatientCompartmentRules.SCOPE);
      found =
          scope == null || scope.allPatients()
              ? intakes.latest(5000)
              : scope.patients().stream()
                  .flatMap(p -> intakes.latestOfPatient(p, 5000).stream())
                  .toList();
    }
    return found.stream().filter(which).limit(max).toList();
  }

  static boolean administered(Intake intake) {
    return intake.fromDevice() && intake.kind() != IntakeKind.REFILL_NEEDED;
  }

  static boolean stated(Intake intake) {
    return !intake.fromDevice();
  }

  static final class AdministrationProvider implements IResourceProvider {
    private final Intakes intakes;
    private final MedicationSchedules schedules;

    AdministrationProvider(Intakes intakes, MedicationSchedules schedules) {
      this.intakes = intakes;
      this.schedules = schedules;
    }

    @Override
    public Class<MedicationAdministration> getResourceType() {
      return MedicationAdministration.class;
    }

    @Read
    public MedicationAdministration read(@IdParam IdType id) {
      if (!id.isIdPartValidLong()) {
        throw new ResourceNotFoundException(id);
      }
      return intakes
          .find(id.getIdPartAsLong())
          .filter(MedicationEvidenceProviders::administered)
          .map(this::toFhir)
          .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    @Search
    public List<MedicationAdministration> search(
        @Description(shortDefinition = "The patient who took (or missed) the medicine")
            @OptionalParam(name = MedicationAdministration.SP_PATIENT)
            ReferenceParam patient,
        @Description(shortDefinition = "The patient who took (or missed) the medicine")
            @OptionalParam(name = MedicationAdministration.SP_SUBJECT)
            ReferenceParam subject,
        @Count Integer count,
        RequestDetails request) {
      return MedicationEvidenceProviders.search(
              intakes,
              MedicationRequestProvider.patientNamed(patient, subject),
              request,
              count,
              MedicationEvidenceProviders::administered)
          .stream()
          .map(this::toFhir)
          .toList();
    }

    private MedicationAdministration toFhir(Intake intake) {
      return MedicationResources.toAdministration(
          intake, intake.requestId().flatMap(schedules::find));
    }
  }

  static final class StatementProvider implements IResourceProvider {
    private final Intakes intakes;
    private final MedicationSchedules schedules;

    StatementProvider(Intakes intakes, MedicationSchedules schedules) {
      this.intakes = intakes;
      this.schedules = schedules;
    }

    @Override
    public Class<MedicationStatement> getResourceType() {
      return MedicationStatement.class;
    }

    @Read
    public MedicationStatement read(@IdParam IdType id) {
      if (!id.isIdPartValidLong()) {
        throw new ResourceNotFoundException(id);
      }
      return intakes
          .find(id.getIdPartAsLong())
          .filter(MedicationEvidenceProviders::stated)
          .map(this::toFhir)
          .orElseThrow(() -> new ResourceNotFoundException(id));
    }

    @Search
    public List<MedicationStatement> search(
        @Description(shortDefinition = "The patient who reported it")
            @OptionalParam(name = MedicationStatement.SP_PATIENT)
            ReferenceParam patient,
        @Description(shortDefinition = "The patient who reported it")
            @OptionalParam(name = MedicationStatement.SP_SUBJECT)
            ReferenceParam subject,
        @Count Integer count,
        RequestDetails request) {
      return MedicationEvidenceProviders.search(
              intakes,
              MedicationRequestProvider.patientNamed(patient, subject),
              request,
              count,
              MedicationEvidenceProviders::stated)
          .stream()
          .map(this::toFhir)
          .toList();
    }

    private MedicationStatement toFhir(Intake intake) {
      return MedicationResources.toStatement(intake, intake.requestId().flatMap(schedules::find));
    }
  }
}
