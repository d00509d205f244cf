package org.vigil.privacy;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vigil.node.NodeProperties;

@Configuration(proxyBeanMethods = false)
class PrivacyConfiguration {

  @Bean
  TinkFieldCipher fieldCipher(NodeProperties node) {
    return new TinkFieldCipher(node.dataDir().resolve("keys"));
  }
}
