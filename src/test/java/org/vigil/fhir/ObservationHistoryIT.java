package org.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.audit.AuditQuery;
import org.vigil.audit.AuditTrail;
import org.vigil.measurement.Measurement;
import org.vigil.measurement.MeasurementIds;
import org.vigil.patient.Patient;
import org.vigil.patient.PatientRepository;
import org.vigil.security.ClientRegistry;
import org.vigil.security.Role;
import org.vigil.security.UserAccount;
import org.vigil.security.UserAccounts;
import org.vigil.store.MeasurementStore;
import org.vigil.testsupport.VigilServerTest;
import org.vigil.testsupport.WebSignIn;

/**
 * A reading is never changed once stored: its Observation is version 1, read as such ({@code
 * vread}), and its history is that one version; any other version is not found.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservationHistoryIT extends VigilServerTest {

  private static final String PATIENT = "oh-patient";

  @Autowired PatientRepository patients;
  @Autowired UserAccounts users;
  @Autowired ClientRegistry clients;
  @Autowired MeasurementStore store;
  @Autowired MeasurementIds ids;
  @Autowired AuditTrail audit;

  private IGenericClient system;
  private String id;
  private Instant stored;

  @BeforeAll
  void reading() {
    patients.save(
        new Patient(
            PATIENT,
            "MRN-" + PATIENT,
            "Family",
            "Given",
            Optional.empty(),
            "unknown",
            Optional.of("Ward OH1"),
            Optional.of("Bed 1"),
            Instant.now()));
    users.save(new UserAccount("oh-nurse", Role.NURSE, "N", Optional.empty(), true), "pw");
    users.setWards("oh-nurse", Set.of("Ward OH1"));
    users.save(new UserAccount("oh-far", Role.NURSE, "F", Optional.empty(), true), "pw");
    users.setWards("oh-far", Set.of("Ward OH2"));
    stored = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long reading = ids.next();
    store.append(
        List.of(
            new Measurement(
                reading, PATIENT, "oh-monitor", "8867-4", 147842, 72, "/min", stored, stored)));
    id = Long.toString(reading);
    system =
        api()
            .fhir(
                api()
                    .token("oh-ehr", clients.register("oh-ehr", Set.of("system/*.rs"), "t"), null));
  }

  @Test
  void aReadingIsVersionOneAndReadAsSuch() {
    Observation current = system.read().resource(Observation.class).withId(id).execute();
    assertThat(current.getMeta().getVersionId()).isEqualTo("1");
    Observation one = system.read().resource(Observation.class).withIdAndVersion(id, "1").execute();
    assertThat(one.getMeta().getVersionId()).isEqualTo("1");
    assertThat(one.getValueQuantity().getValue()).isEqualByComparingTo("72");
    assertThat(one.getSubject().getReference()).isEqualTo("Patient/" + PATIENT);
    assertThatThrownBy(
            () -> system.read().resource(Observation.class).withIdAndVersion(id, "2").execute())
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(
            () -> system.read().resource(Observation.class).withIdAndVersion("1", "1").execute())
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void itsHistoryIsTheOneVersionCreatedWhenItWasStored() {
    Bundle history = history(system, id);
    assertThat(history.getType()).isEqualTo(Bundle.BundleType.HISTORY);
    assertThat(history.getEntry()).hasSize(1);
    Bundle.BundleEntryComponent entry = history.getEntryFirstRep();
    Observation version = (Observation) entry.getResource();
    assertThat(version.getIdElement().getIdPart()).isEqualTo(id);
    assertThat(version.getMeta().getVersionId()).isEqualTo("1");
    assertThat(entry.getResponse().getStatus()).startsWith("201");
    // nothing since it was stored
    assertThat(
            system
                .history()
                .onInstance("Observation/" + id)
                .returnBundle(Bundle.class)
                .since(java.util.Date.from(stored.plusSeconds(60)))
                .execute()
                .getEntry())
        .isEmpty();
    assertThatThrownBy(() -> history(system, "1")).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void versionsAreTheirPatientsDataAuditedAndRefusedToOtherWards() {
    IGenericClient nurse = staff("oh-nurse");
    assertThat(history(nurse, id).getEntry()).hasSize(1);
    assertThat(
            nurse
                .read()
                .resource(Observation.class)
                .withIdAndVersion(id, "1")
                .execute()
                .getIdPart())
        .isEqualTo(id);
    assertThat(audit.search(AuditQuery.all().forPatient(PATIENT).page(0, 1000)))
        .anySatisfy(e -> {
          assertThat(e.entry().what()).startsWith("history-instance Observation/" + id);
          assertThat(e.entry().action()).isEqualTo("R");
        })
        .anySatisfy(e -> assertThat(e.entry().what()).startsWith("vread Observation/" + id));

    IGenericClient far = staff("oh-far");
    assertThatThrownBy(() -> history(far, id)).isInstanceOf(ForbiddenOperationException.class);
    assertThatThrownBy(
            () -> far.read().resource(Observation.class).withIdAndVersion(id, "1").execute())
        .isInstanceOf(ForbiddenOperationException.class);
  }

  private IGenericClient staff(String username) {
    return api().fhir(new WebSignIn(api().base()).accessToken(username, "pw", "openid user/*.rs"));
  }

  private static Bundle history(IGenericClient client, String observation) {
    return client
        .history()
        .onInstance("Observation/" + observation)
        .returnBundle(Bundle.class)
        .execute();
  }
}
