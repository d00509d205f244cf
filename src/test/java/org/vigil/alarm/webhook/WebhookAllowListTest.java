package org.vigil.alarm.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vigil.outbound.EndpointAllowList;

class WebhookAllowListTest {

  @Test
  void emptyRefusesEveryEndpointSayingWhichSettingAllowsThem() {
    assertThat(
            EndpointAllowList.of(WebhookProperties.ALLOWED_ENDPOINTS, "webhook", List.of())
                .problem("https://pager.example.org/vigil"))
        .hasValueSatisfying(p -> assertThat(p).contains(WebhookProperties.ALLOWED_ENDPOINTS));
  }

  @Test
  void allowsOnlySchemeHostPortAndPathPrefixOfAnEntry() {
    EndpointAllowList allowed =
        EndpointAllowList.of(
            WebhookProperties.ALLOWED_ENDPOINTS,
            "webhook",
            List.of("https://pager.example.org/vigil/", "http://127.0.0.1:*"));
    assertThat(allowed.problem("https://pager.example.org/vigil/alarms")).isEmpty();
    assertThat(allowed.problem("https://PAGER.example.org:443/vigil/alarms")).isEmpty();
    assertThat(allowed.problem("http://127.0.0.1:8081/anything")).isEmpty();
    assertThat(allowed.problem("http://pager.example.org/vigil/alarms")).isPresent();
    assertThat(allowed.problem("https://pager.example.org:8443/vigil/alarms")).isPresent();
    assertThat(allowed.problem("https://pager.example.org/other")).isPresent();
    assertThat(allowed.problem("https://pager.example.org/vigil/../admin")).isPresent();
    assertThat(allowed.problem("https://pager.example.org.evil.test/vigil/")).isPresent();
    assertThat(allowed.problem("http://u:p@127.0.0.1:8081/x")).isPresent();
    assertThat(allowed.problem("file:///etc/passwd")).isPresent();
    assertThat(allowed.problem("not a url")).isPresent();
  }

  @Test
  void refusesLinkLocalAndMetadataHostsWhateverTheEntriesSay() {
    EndpointAllowList careless =
        EndpointAllowList.of(
            WebhookProperties.ALLOWED_ENDPOINTS,
            "webhook",
            List.of("http://169.254.169.254:*", "http://[fd00:ec2::254]:*", "http://0.0.0.0:*"));
    assertThat(careless.problem("http://169.254.169.254/latest/meta-data/"))
        .hasValueSatisfying(p -> assertThat(p).contains("link-local"));
    assertThat(careless.problem("http://0.0.0.0/")).isPresent();
    // a name that resolves to a loopback address is fine, one that is link-local is not
    assertThat(EndpointAllowList.resolvesToForbidden(URI.create("http://127.0.0.1:9/"))).isEmpty();
    assertThat(EndpointAllowList.resolvesToForbidden(URI.create("http://169.254.169.254/")))
        .isPresent();
  }

  @Test
  void refusesAnEntryThatCanNeverMatch() {
    assertThatThrownBy(() ->
            EndpointAllowList.of(
                WebhookProperties.ALLOWED_ENDPOINTS, "webhook", List.of("ftp://x/")))
        .hasMessageContaining(WebhookProperties.ALLOWED_ENDPOINTS);
  }
}
