package org.vigil.ingest;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vigil.device.DeviceRegistrationCheck;
import org.vigil.measurement.MeasurementCatalog;
import org.vigil.node.NodeProperties;
import org.vigil.normalize.NativeMessageCodec;
import org.vigil.normalize.template.TemplateEngine;
import org.vigil.normalize.template.TemplateRegistry;

@Configuration(proxyBeanMethods = false)
class TemplateConfiguration {

  private static final Logger log = LoggerFactory.getLogger(TemplateConfiguration.class);

  @Bean
  TemplateEngine templateEngine(MeasurementCatalog catalog) {
    return new TemplateEngine(catalog);
  }

  /** The shipped templates and those in {@code <data-dir>/templates}, loaded at start-up. */
  @Bean
  TemplateRegistry templateRegistry(
      TemplateEngine engine, NodeProperties node, NativeMessageCodec nativeCodec) {
    TemplateRegistry registry =
        new TemplateRegistry(engine, Optional.of(node.dataDir().resolve("templates")), nativeCodec);
    var report = registry.reload();
    log.info("Mapping templates active: {}", report.active());
    report.errors().forEach((file, error) -> log.warn("Template {} not loaded: {}", file, error));
    return registry;
  }

  /** A device may name only a template that is loaded. */
  @Bean
  DeviceRegistrationCheck templateIsLoaded(TemplateRegistry templates) {
    return registration ->
        registration
            .details()
            .template()
            .filter(name -> templates.find(name).isEmpty())
            .map(name ->
                "template '"
                    + name
                    + "' is not loaded; load it first (PUT /api/v1/templates/"
                    + name
                    + ")");
  }

  /**
   * Notices edits in the templates directory and reloads, so a template fix takes effect without a
   * restart. A broken edit is logged and the previous version stays active.
   */
  @Component
  static class TemplateReloader {
    private final TemplateRegistry templates;
    private final AtomicReference<String> seen;

    TemplateReloader(TemplateRegistry templates) {
      this.templates = templates;
      this.seen = new AtomicReference<>(templates.fingerprint());
    }

    @Scheduled(fixedDelayString = "${vigil.templates.check-every:PT5S}")
    void reloadWhenChanged() {
      String now = templates.fingerprint();
      if (!now.equals(seen.getAndSet(now))) {
        var report = templates.reload();
        log.info("Templates directory changed; active templates: {}", report.active());
        report
            .errors()
            .forEach((file, error) -> log.warn("Template {} not loaded: {}", file, error));
      }
    }
  }
}
