package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XML parser behind the FHIR API (HAPI FHIR's, with Vigil's context) does not resolve external
 * entities: an XXE payload neither reads a local file into the resource nor reaches out.
 */
class XmlExternalEntitiesTest {

  @TempDir Path dir;

  @Test
  void anExternalEntityIsNotResolved() throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-CONTENT");
    String xxe =
        "<?xml version=\"1.0\"?>\n"
            + "<!DOCTYPE Patient [<!ENTITY xxe SYSTEM \""
            + secret.toUri()
            + "\">]>\n"
            + "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"&xxe;\"/></name>"
            + "</Patient>";

    String parsed;
    try {
      Patient patient = FhirContext.forR4Cached().newXmlParser().parseResource(Patient.class, xxe);
      parsed = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(patient);
    } catch (DataFormatException refused) {
      parsed = String.valueOf(refused.getMessage());
    }

    assertThat(parsed).doesNotContain("TOP-SECRET-CONTENT");
  }
}
