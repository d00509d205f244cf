package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmartScopeTest {

  @Test
  void readsVersionTwoScopes() {
    SmartScope scope = SmartScope.parse("system/Observation.rs").orElseThrow();

    assertThat(scope).isEqualTo(new SmartScope("system", "Observation", "rs"));
    assertThat(scope.permits("Observation", 'r')).isTrue();
    assertThat(scope.permits("Observation", 's')).isTrue();
    assertThat(scope.permits("Observation", 'c')).isFalse();
    assertThat(scope.permits("Patient", 'r')).isFalse();
  }

  @Test
  void readsVersionOneScopesAsTheirVersionTwoEquivalents() {
    assertThat(SmartScope.parse("patient/*.read")).contains(new SmartScope("patient", "*", "rs"));
    assertThat(SmartScope.parse("user/Observation.write"))
        .contains(new SmartScope("user", "Observation", "cud"));
    assertThat(SmartScope.parse("system/*.*")).contains(new SmartScope("system", "*", "cruds"));
  }

  @Test
  void wildcardCoversEveryResourceType() {
    assertThat(SmartScope.parse("system/*.rs").orElseThrow().permits("Device", 'r')).isTrue();
  }

  @Test
  void ignoresWhatIsNotAResourceScope() {
    assertThat(SmartScope.parse("openid")).isEmpty();
    assertThat(SmartScope.parse("launch/patient")).isEmpty();
    assertThat(SmartScope.parse("system/Observation.")).isEmpty();
    assertThat(SmartScope.parse("system/Observation.sr")).isEmpty();
    assertThat(SmartScope.parse("admin/Observation.rs")).isEmpty();
  }
}
