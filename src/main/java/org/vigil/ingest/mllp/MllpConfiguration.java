package org.vigil.ingest.mllp;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MllpConfiguration {

  @Bean
  @ConditionalOnExpression("${vigil.mllp.enabled:true} and ${vigil.mllp.port:2575} > 0")
  MllpServer mllpServer(MllpProperties settings, Pcd01Handler handler) {
    return new MllpServer(settings, handler);
  }
}
