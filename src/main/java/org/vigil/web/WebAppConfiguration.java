package org.vigil.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web app is one page ({@code /index.html}, plain ES modules under {@code /app/}); the sign-in
 * returns to {@code /app/callback}, which is that same page finishing the sign-in.
 */
@Configuration(proxyBeanMethods = false)
class WebAppConfiguration implements WebMvcConfigurer {

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addViewController("/app/callback").setViewName("forward:/index.html");
  }
}
