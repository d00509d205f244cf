package org.vigil.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.vigil.VigilApplication;

/** Starts the Spring application for {@code serve} and {@code demo} and waits until it stops. */
final class NodeRunner {

  private NodeRunner() {}

  static int run(ServerOptions server, List<String> extraArguments) {
    Optional<String> problem = PortCheck.firstProblem(server.listeners());
    if (problem.isPresent()) {
      System.err.println(problem.get());
      return 2;
    }
    List<String> args = new ArrayList<>(server.springArguments());
    args.addAll(extraArguments);
    CountDownLatch stopped = new CountDownLatch(1);
    SpringApplication application = new SpringApplication(VigilApplication.class);
    application.addListeners(event -> {
      if (event instanceof ContextClosedEvent) {
        stopped.countDown();
      }
    });
    ConfigurableApplicationContext context;
    try {
      context = application.run(args.toArray(String[]::new));
    } catch (RuntimeException e) {
      // Spring Boot has already logged the cause and a failure analysis.
      return 1;
    }
    if (!context.isActive()) {
      return 1;
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
