package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Flag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.alarm.AlarmPriority;
import org.vigil.alarm.Alarms;
import org.vigil.audit.AuditAgent;
import org.vigil.device.DeviceRegistry;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.testsupport.ProfileValidator;
import org.vigil.testsupport.TestWard;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/** Alarms read as FHIR Flags, with HAPI's generic client, and only the caller's patients'. */
class FlagApiIT extends VigilServerTest {

  @Autowired Alarms alarms;
  @Autowired PatientRepository patients;
  @Autowired DeviceRegistry devices;
  @Autowired ClientRegistry clients;
  @Autowired UserAccounts users;

  @Test
  void activeAlarmsAreActiveFlagsWithTheirPriorityAndResolvedOnesInactive() {
    TestWard ward = new TestWard(patients, devices);
    ward.patient("flag-patient");
    long high =
        alarms
            .raise("flag-patient", "news2", AlarmPriority.HIGH, "NEWS2 8 (high clinical risk)")
            .id();
    long medium =
        alarms.raise("flag-patient", "limit:8867-4", AlarmPriority.MEDIUM, "Heart rate 125").id();
    alarms.resolve(medium, AuditAgent.local(), "rate-controlled atrial fibrillation");
    String token =
        api().token("flag-ehr", clients.register("flag-ehr", Set.of("system/*.rs"), "t"), null);

    Bundle active =
        api()
            .fhir(token)
            .search()
            .forResource(Flag.class)
            .where(Flag.PATIENT.hasId("flag-patient"))
            .and(new ca.uhn.fhir.rest.gclient.TokenClientParam("status").exactly().code("active"))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(active.getEntry()).hasSize(1);
    Flag flag = (Flag) active.getEntryFirstRep().getResource();
    assertThat(flag.getIdElement().getIdPart()).isEqualTo(Long.toString(high));
    assertThat(flag.getCode().getText()).isEqualTo("NEWS2 8 (high clinical risk)");
    CodeableConcept priority =
        (CodeableConcept) flag.getExtensionByUrl(FlagProvider.PRIORITY_EXTENSION).getValue();
    assertThat(priority.getCodingFirstRep().getCode()).isEqualTo("PH");

    Flag resolved =
        api().fhir(token).read().resource(Flag.class).withId(Long.toString(medium)).execute();
    assertThat(resolved.getStatus()).isEqualTo(Flag.FlagStatus.INACTIVE);
    assertThat(resolved.getPeriod().hasEnd()).isTrue();
    ProfileValidator.assertValid(List.of(flag, resolved));
  }

  @Test
  void aNurseSeesOnlyHerPatientsFlags() {
    TestWard ward = new TestWard(patients, devices);
    ward.patient("flag-mine");
    alarms.raise("flag-mine", "news2", AlarmPriority.MEDIUM, "NEWS2 5 (medium clinical risk)");
    users.save(new UserAccount("flag-nurse", Role.NURSE, "x", Optional.empty(), true), "pw-flag");
    users.setWards("flag-nurse", Set.of("Ward 9Z"));
    patients.save(
        new org.vigil.patient.Patient(
            "flag-hers",
            "MRN-flag-hers",
            "Okafor",
            "Ada",
            Optional.empty(),
            "female",
            Optional.of("Ward 9Z"),
            Optional.of("Bed 2"),
            java.time.Instant.now()));
    long hersId =
        alarms.raise("flag-hers", "news2", AlarmPriority.HIGH, "NEWS2 7 (high clinical risk)").id();
    String token =
        new WebSignIn(api().base()).accessToken("flag-nurse", "pw-flag", "openid user/*.rs");

    assertThat(api().get("/fhir/Flag?patient=flag-mine", token).statusCode()).isEqualTo(403);
    Bundle hers =
        FhirContext.forR4Cached()
            .newJsonParser()
            .parseResource(
                Bundle.class,
                api().get("/fhir/Flag?patient=flag-hers&status=active", token).body());
    assertThat(hers.getEntry())
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .containsExactly(Long.toString(hersId));
  }
}
