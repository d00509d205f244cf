package org.vigil.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.Optional;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.testsupport.TestDatabase;

/** Subscriptions are kept alike on every database Vigil supports. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class SubscriptionRepositoryIT {

  private static final Owner EHR = new Owner(Owner.CLIENT, "ehr");
  private static final Owner NURSE = new Owner(Owner.USER, "nurse");

  @Parameter TestDatabase database;

  private TestDatabase.Instance db;
  private SubscriptionRepository repository;

  @BeforeEach
  void createDatabase() {
    db = database.create();
    repository =
        new SubscriptionRepository(new JdbcTemplate(db.dataSource()), FhirContext.forR4Cached());
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  private static Subscription subscription(String id, String criteria) {
    Subscription s = new Subscription();
    s.setId(id);
    s.setStatus(Subscription.SubscriptionStatus.REQUESTED);
    s.setReason("test");
    s.setCriteria(criteria);
    s.getChannel()
        .setType(Subscription.SubscriptionChannelType.RESTHOOK)
        .setEndpoint("https://ehr.example.org/hooks/" + id)
        .addHeader("Authorization: Bearer x".repeat(100));
    return s;
  }

  @Test
  void keepsFindsUpdatesAndDeletesSubscriptionsByOwnerAndStatus() {
    repository.insert(EHR, subscription("s1", "Flag?status=active"));
    repository.insert(
        EHR, subscription("s2", "Observation?patient=p1&code=http://loinc.org|8867-4"));
    repository.insert(NURSE, subscription("s3", "Observation?code=8867-4"));

    Subscription active = repository.find("s2").orElseThrow().resource();
    assertThat(active.getCriteria())
        .isEqualTo("Observation?patient=p1&code=http://loinc.org|8867-4");
    assertThat(active.getChannel().getHeader().getFirst().getValue()).hasSize(2300);
    active.setStatus(Subscription.SubscriptionStatus.ACTIVE);
    repository.update(active);
    Subscription failed = repository.find("s3").orElseThrow().resource();
    failed.setStatus(Subscription.SubscriptionStatus.ERROR).setError("HTTP 500");
    repository.update(failed);

    assertThat(repository.find("s3").orElseThrow().owner()).isEqualTo(NURSE);
    assertThat(repository.find("s3").orElseThrow().resource().getError()).isEqualTo("HTTP 500");
    assertThat(repository.ofOwner(EHR, Optional.empty()))
        .extracting(r -> r.resource().getIdElement().getIdPart())
        .containsExactly("s1", "s2");
    assertThat(repository.ofOwner(EHR, Optional.of("active")))
        .extracting(r -> r.resource().getIdElement().getIdPart())
        .containsExactly("s2");
    assertThat(repository.active())
        .extracting(r -> r.resource().getIdElement().getIdPart())
        .containsExactly("s2");

    assertThat(repository.delete("s2")).isTrue();
    assertThat(repository.delete("s2")).isFalse();
    assertThat(repository.find("s2")).isEmpty();
    assertThat(repository.active()).isEmpty();
  }
}
