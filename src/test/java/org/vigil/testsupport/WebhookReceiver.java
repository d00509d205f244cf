package org.vigil.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A receiver of Vigil's alarm webhooks on loopback, started once for the whole test JVM (on a port
 * the system picks, so no other test can take it first) and configured as every test node's
 * webhooks by {@link VigilServerTest}. It keeps every request; it answers 200 unless a test has
 * said otherwise for a request (e.g. by the patient in its body).
 */
public final class WebhookReceiver {

  /** One POST as it arrived. */
  public record Request(String path, Map<String, List<String>> headers, byte[] body, Instant at) {

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .findFirst()
          .map(e -> e.getValue().getFirst())
          .orElse(null);
    }

    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** How to answer: a status and, if wanted, a Retry-After value. */
  public record Answer(int status, String retryAfter) {

    public static final Answer OK = new Answer(200, null);

    public static Answer of(int status) {
      return new Answer(status, null);
    }
  }

  private static final WebhookReceiver SHARED = new WebhookReceiver();

  private final HttpServer server;
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Answer> answers = r -> Answer.OK;

  private WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public static WebhookReceiver shared() {
    return SHARED;
  }

  /** The URL of a path on this receiver, e.g. {@code /alarm-hook/all}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** From now on, answers as the function says (it sees each request as it arrives). */
  public void answer(Function<Request, Answer> answers) {
    this.answers = answers;
  }

  /** The requests so far that match. */
  public List<Request> received(Predicate<Request> which) {
    return received.stream().filter(which).toList();
  }

  /**
   * Waits, at most {@code patience}, until {@code count} requests that match have arrived.
   *
   * @throws AssertionError when they have not
   */
  public List<Request> await(Predicate<Request> which, int count, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      List<Request> matching = received(which);
      if (matching.size() >= count) {
        return matching;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            count + " webhook requests expected within " + patience + ", got " + matching.size());
      }
      Thread.sleep(50);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Request request =
          new Request(
              exchange.getRequestURI().getPath(),
              Map.copyOf(exchange.getRequestHeaders()),
              exchange.getRequestBody().readAllBytes(),
              Instant.now());
      received.add(request);
      Answer answer = answers.apply(request);
      if (answer.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
      }
      exchange.sendResponseHeaders(answer.status(), -1);
    }
  }
}
