package org.vigil.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class DeviceTokensTest {

  private final DeviceTokens tokens = new DeviceTokens(new SecureRandom());

  @Test
  void tokensAreLongRandomAndRecognisable() {
    String a = tokens.generate();
    String b = tokens.generate();

    assertThat(a).startsWith("vgd_").hasSize(4 + 43).isNotEqualTo(b);
  }

  @Test
  void onlyTheHashIsKeptAndOnlyTheTokenMatchesIt() {
    String token = tokens.generate();
    String hash = DeviceTokens.hash(token);

    assertThat(hash).hasSize(64).doesNotContain(token.substring(4));
    assertThat(DeviceTokens.matches(token, hash)).isTrue();
    assertThat(DeviceTokens.matches(tokens.generate(), hash)).isFalse();
    assertThat(DeviceTokens.matches(token, "not hex")).isFalse();
  }
}
