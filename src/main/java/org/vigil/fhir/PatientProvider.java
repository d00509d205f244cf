package org.vigil.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.sql.Date;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;
import org.vigil.patient.PatientRepository;

/** Patients: read by id, searched by identifier (MRN) or listed. */
@Component
class PatientProvider implements IResourceProvider {

  /** The identifier system of hospital medical record numbers in Vigil's FHIR output. */
  static final String MRN_SYSTEM = "urn:vigil:mrn";

  private final PatientRepository patients;

  PatientProvider(PatientRepository patients) {
    this.patients = patients;
  }

  @Override
  public Class<Patient> getResourceType() {
    return Patient.class;
  }

  @Read
  public Patient read(@IdParam IdType id) {
    return patients
        .find(id.getIdPart())
        .map(PatientProvider::toFhir)
        .orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public IBundleProvider search(
      @OptionalParam(name = Patient.SP_IDENTIFIER) TokenParam identifier) {
    if (identifier != null) {
      if (identifier.getSystem() != null && !MRN_SYSTEM.equals(identifier.getSystem())) {
        return new SimpleBundleProvider();
      }
      return new SimpleBundleProvider(
          patients.findByMrn(identifier.getValue()).map(PatientProvider::toFhir).stream()
              .map(IBaseResource.class::cast)
              .toList());
    }
    return new IBundleProvider() {
      private final InstantType published = InstantType.withCurrentTime();

      @Override
      public IPrimitiveType<java.util.Date> getPublished() {
        return published;
      }

      @Override
      public List<IBaseResource> getResources(int from, int to) {
        return patients.findAll(from, Math.max(0, to - from)).stream()
            .<IBaseResource>map(PatientProvider::toFhir)
            .toList();
      }

      @Override
      public String getUuid() {
        return null;
      }

      @Override
      public Integer preferredPageSize() {
        return null;
      }

      @Override
      public Integer size() {
        return Math.toIntExact(patients.count());
      }
    };
  }

  static Patient toFhir(org.vigil.patient.Patient p) {
    Patient patient = new Patient();
    patient.setId(p.id());
    patient.addIdentifier().setSystem(MRN_SYSTEM).setValue(p.mrn());
    patient.addName().setFamily(p.familyName()).addGiven(p.givenName());
    patient.setGender(gender(p.gender()));
    p.birthDate().ifPresent(d -> patient.setBirthDate(Date.valueOf(d)));
    return patient;
  }

  private static AdministrativeGender gender(String gender) {
    try {
      return AdministrativeGender.fromCode(gender);
    } catch (Exception e) {
      return AdministrativeGender.UNKNOWN;
    }
  }
}
