package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;

class InternalErrorShieldTest {

  private final InternalErrorShield shield = new InternalErrorShield();

  @Test
  void anUnexpectedFailureBecomesA500WithAReferenceAndNoInternals() {
    BaseServerResponseException answer =
        shield.shield(
            null,
            new IllegalStateException(
                "ERROR: relation \"measurement_point\" does not exist at org.postgresql…"));

    assertThat(answer.getStatusCode()).isEqualTo(500);
    assertThat(answer.getMessage())
        .containsPattern("quote reference [0-9a-f-]{36} to the operator")
        .doesNotContain("measurement_point", "postgresql");
  }

  @Test
  void theErrorsTheApiMeansToGivePassUnchanged() {
    assertThat(shield.shield(null, new ResourceNotFoundException(new IdType("Patient/x"))))
        .isNull();
  }
}
