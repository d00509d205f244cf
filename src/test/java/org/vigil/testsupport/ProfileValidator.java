package org.vigil.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.Collection;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's FHIR validator, offline (no terminology server), against the R4 core profiles including
 * the vital-signs profiles. Built once per test JVM: its first validation takes seconds.
 */
public final class ProfileValidator {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static final class Holder {
    static final FhirValidator VALIDATOR =
        FHIR.newValidator()
            .registerValidatorModule(
                new FhirInstanceValidator(
                    new ValidationSupportChain(
                        new DefaultProfileValidationSupport(FHIR),
                        new CommonCodeSystemsTerminologyService(FHIR),
                        new InMemoryTerminologyServerValidationSupport(FHIR),
                        new SnapshotGeneratingValidationSupport(FHIR))));
  }

  private ProfileValidator() {}

  /** The validator's errors (and fatal errors) for the resource, against the profiles it claims. */
  public static List<SingleValidationMessage> errors(IBaseResource resource) {
    synchronized (Holder.VALIDATOR) {
      return Holder.VALIDATOR.validateWithResult(resource).getMessages().stream()
          .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
          .toList();
    }
  }

  /** Fails, showing the resource and the errors, unless every resource validates without error. */
  public static void assertValid(Collection<? extends IBaseResource> resources) {
    for (IBaseResource resource : resources) {
      assertThat(errors(resource))
          .as(FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(resource))
          .isEmpty();
    }
  }
}
