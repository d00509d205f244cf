package org.vigil.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.outbound.EndpointAllowList;

class EndpointAllowListTest {

  @Test
  void emptyRefusesEveryEndpointSayingWhichSettingAllowsThem() {
    assertThat(
            EndpointAllowList.of(SubscriptionProperties.ALLOWED_ENDPOINTS, "rest-hook", List.of())
                .problem("https://ehr.example.org/hook"))
        .hasValueSatisfying(
            p -> assertThat(p).contains("vigil.fhir.subscriptions.allowed-endpoints"));
  }

  @Test
  void allowsOnlySchemeHostPortAndPathPrefixOfAnEntry() {
    EndpointAllowList allowed =
        EndpointAllowList.of(
            SubscriptionProperties.ALLOWED_ENDPOINTS,
            "rest-hook",
            List.of("https://ehr.example.org/hooks/", "http://127.0.0.1:*"));
    assertThat(allowed.problem("https://ehr.example.org/hooks/vitals")).isEmpty();
    assertThat(allowed.problem("https://EHR.example.org:443/hooks/vitals")).isEmpty();
    assertThat(allowed.problem("http://127.0.0.1:8081/anything")).isEmpty();
    assertThat(allowed.problem("http://ehr.example.org/hooks/vitals")).isPresent();
    assertThat(allowed.problem("https://ehr.example.org:8443/hooks/vitals")).isPresent();
    assertThat(allowed.problem("https://ehr.example.org/other")).isPresent();
    assertThat(allowed.problem("https://ehr.example.org/hooks/../admin")).isPresent();
    assertThat(allowed.problem("https://ehr.example.org/hooks/%2e%2e/admin")).isPresent();
    assertThat(allowed.problem("https://ehr.example.org.evil.test/hooks/")).isPresent();
    assertThat(allowed.problem("http://169.254.169.254/latest/meta-data/")).isPresent();
    assertThat(allowed.problem("http://u:p@127.0.0.1:8081/x")).isPresent();
    assertThat(allowed.problem("file:///etc/passwd")).isPresent();
    assertThat(allowed.problem("not a url")).isPresent();
  }

  @Test
  void refusesCloudMetadataEvenWhenAnEntryAllowsIt() {
    EndpointAllowList careless =
        EndpointAllowList.of(
            SubscriptionProperties.ALLOWED_ENDPOINTS,
            "rest-hook",
            List.of("http://169.254.169.254:*", "http://metadata.google.internal/"));
    assertThat(careless.problem("http://169.254.169.254/latest/meta-data/"))
        .hasValueSatisfying(p -> assertThat(p).contains("link-local"));
    assertThat(careless.problem("http://metadata.google.internal/computeMetadata/v1/"))
        .hasValueSatisfying(p -> assertThat(p).contains("metadata"));
    assertThat(careless.problem("http://10.0.0.1/x"))
        .hasValueSatisfying(p -> assertThat(p).contains(SubscriptionProperties.ALLOWED_ENDPOINTS));
  }

  @Test
  void refusesAnEntryThatCanNeverMatch() {
    assertThatThrownBy(() ->
            EndpointAllowList.of(
                SubscriptionProperties.ALLOWED_ENDPOINTS, "rest-hook", List.of("ftp://x/")))
        .hasMessageContaining("allowed-endpoints");
  }
}
