package org.vigil.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class CriteriaTest {

  private static Observation heartRate(String patient) {
    Observation o = new Observation();
    o.setSubject(new Reference("Patient/" + patient));
    o.getCode().addCoding(new Coding("http://loinc.org", "8867-4", null));
    o.addCategory(
        new CodeableConcept(
            new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category",
                "vital-signs",
                null)));
    return o;
  }

  @Test
  void matchesObservationsByPatientCodeAndCategory() {
    Criteria criteria =
        Criteria.parse(
            "Observation?patient=Patient/p1,p2&code=http://loinc.org|8867-4,59408-5"
                + "&category=vital-signs");
    assertThat(criteria.patients()).containsExactlyInAnyOrder("p1", "p2");
    assertThat(criteria.matches(heartRate("p1"))).isTrue();
    assertThat(criteria.matches(heartRate("p3"))).isFalse();
    assertThat(
            Criteria.parse("Observation?code=http://snomed.info/sct|8867-4")
                .matches(heartRate("p1")))
        .isFalse();
    assertThat(Criteria.parse("Observation?code=%7C8867-4").matches(heartRate("p1"))).isFalse();
    assertThat(Criteria.parse("Observation?subject=p1").matches(heartRate("p1"))).isTrue();
    assertThat(Criteria.parse("Observation").matches(heartRate("p9"))).isTrue();
  }

  @Test
  void matchesFlagsByStatusAndNotObservations() {
    Criteria active = Criteria.parse("Flag?status=active");
    Flag flag =
        new Flag().setStatus(Flag.FlagStatus.ACTIVE).setSubject(new Reference("Patient/p1"));
    assertThat(active.matches(flag)).isTrue();
    assertThat(active.matches(heartRate("p1"))).isFalse();
    assertThat(active.matches(flag.copy().setStatus(Flag.FlagStatus.INACTIVE))).isFalse();
    assertThat(Criteria.parse("Flag?patient=p2").matches(flag)).isFalse();
  }

  @Test
  void refusesWhatItCannotMatchSayingWhy() {
    assertThatThrownBy(() -> Criteria.parse("Patient?name=x"))
        .hasMessageContaining("Observation or Flag");
    assertThatThrownBy(() -> Criteria.parse("Observation?date=ge2026"))
        .hasMessageContaining("date is not supported on Observation");
    assertThatThrownBy(() -> Criteria.parse("Flag?code=x"))
        .hasMessageContaining("patient, status, subject");
    assertThatThrownBy(() -> Criteria.parse("Observation?code=a&code=b"))
        .hasMessageContaining("once");
    assertThatThrownBy(() -> Criteria.parse("Observation?patient="))
        .hasMessageContaining("no value");
    assertThatThrownBy(() -> Criteria.parse("Observation?patient=Group/1"))
        .hasMessageContaining("must be a Patient");
    assertThatThrownBy(() -> Criteria.parse("https://other.example/fhir/Observation?code=x"))
        .hasMessageContaining("relative");
    assertThatThrownBy(() -> Criteria.parse(" ")).hasMessageContaining("required");
    assertThat(Criteria.patientsNamed("Observation?patient=a")).containsExactly("a");
    assertThat(Criteria.patientsNamed("nonsense?")).isEmpty();
  }
}
