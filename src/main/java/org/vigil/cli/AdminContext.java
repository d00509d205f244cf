package org.vigil.cli;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.vigil.VigilApplication;

/**
 * Vigil without its listeners, for administrative commands ({@code vigil devices …}): the same
 * registries and the same database as a running node — the embedded database lets a second process
 * in while the node runs — but no web server, broker or MLLP listener.
 */
final class AdminContext {

  private AdminContext() {}

  static ConfigurableApplicationContext open(StorageOptions storage) {
    List<String> args = new ArrayList<>(storage.springArguments());
    args.add("--vigil.mqtt.enabled=false");
    args.add("--vigil.mllp.enabled=false");
    args.add("--vigil.demo.enabled=false");
    args.add("--spring.main.banner-mode=off");
    args.add("--spring.main.log-startup-info=false");
    args.add("--logging.level.root=warn");
    args.add("--logging.level.org.flywaydb=warn");
    SpringApplication application = new SpringApplication(VigilApplication.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    return application.run(args.toArray(String[]::new));
  }
}
