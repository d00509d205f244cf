package org.vigil.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Password hashing for users and client secrets — bcrypt, behind Spring's delegating encoder so
 * stored hashes name their algorithm and can be upgraded. Needed by the admin commands too, which
 * run without the web server, so it lives apart from the filter chains.
 */
@Configuration(proxyBeanMethods = false)
class PasswordConfiguration {

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }
}
