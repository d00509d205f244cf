package org.vigil.device;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vigil.audit.ChangeAudit;
import org.vigil.node.NodeProperties;

@Configuration(proxyBeanMethods = false)
class DeviceConfiguration {

  @Bean
  DeviceCertificateAuthority deviceCertificateAuthority(
      NodeProperties node, JdbcTemplate jdbc, ChangeAudit audit) {
    return new DeviceCertificateAuthority(node, jdbc, audit);
  }
}
