package org.vigil.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

  private static final byte[] SECRET =
      "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
  private static final String BODY = "{\"eventId\":\"42-1764755069000\"}";

  @Test
  void signsTimestampDotBodyAsOpensslDoes() {
    // printf '%s.%s' 1764755069 '{"eventId":"42-1764755069000"}' \
    //   | openssl dgst -sha256 -hmac "It's a Secret to Everybody" -hex
    assertThat(new WebhookSigner(SECRET).sign("1764755069", BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=66211dabc57f022c8a146ef6433a528dd0522213333a8a103e003c4f004aea23");
  }

  @Test
  void verifiesOnlyTheSameBodyTimestampAndSecret() {
    WebhookSigner signer = new WebhookSigner(SECRET);
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    String signature = signer.sign("1764755069", body);
    assertThat(signer.verifies("1764755069", body, signature)).isTrue();
    assertThat(signer.verifies("1764755070", body, signature)).isFalse();
    assertThat(
            signer.verifies("1764755069", (BODY + " ").getBytes(StandardCharsets.UTF_8), signature))
        .isFalse();
    assertThat(
            new WebhookSigner("another secret of 16+".getBytes(StandardCharsets.UTF_8))
                .verifies("1764755069", body, signature))
        .isFalse();
    assertThat(signer.verifies("1764755069", body, null)).isFalse();
    assertThat(signer.verifies("1764755069", body, signature.toUpperCase())).isFalse();
  }

  @Test
  void refusesAnEmptySecret() {
    assertThatThrownBy(() -> new WebhookSigner(new byte[0])).hasMessageContaining("secret");
  }
}
