package org.vigil.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vigil.testsupport.VigilApi;
import org.vigil.testsupport.VigilServerTest;

/**
 * A client that floods the API gets 429 with Retry-After, as an OperationOutcome, while another
 * client is served as usual (the test server allows 50 requests a second, 60 at once).
 */
class CallerRateLimitIT extends VigilServerTest {

  @Autowired ClientRegistry clients;

  @Test
  void aFloodingClientIsThrottledAndAnotherIsNot() throws Exception {
    String flooder =
        api().token("rl-flooder", clients.register("rl-flooder", Set.of("system/*.rs"), "t"), null);
    String neighbour =
        api()
            .token(
                "rl-neighbour", clients.register("rl-neighbour", Set.of("system/*.rs"), "t"), null);

    // 200 requests at once are far beyond 50 a second with a burst of 60 — unless the machine is
    // so busy that they trickle in; then flood again, a bounded number of times.
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int round = 0;
        round < 5 && answers.stream().noneMatch(a -> a.statusCode() == 429);
        round++) {
      answers.addAll(flood(flooder, 200));
    }

    List<HttpResponse<String>> throttled =
        answers.stream().filter(a -> a.statusCode() == 429).toList();
    System.out.printf(
        "%d requests: %d served, %d throttled%n",
        answers.size(),
        answers.stream().filter(a -> a.statusCode() == 200).count(),
        throttled.size());
    assertThat(throttled).isNotEmpty();
    assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isIn(200, 429));
    HttpResponse<String> one = throttled.getFirst();
    assertThat(one.headers().firstValue("Retry-After")).isPresent();
    assertThat(VigilApi.json(one.body()).path("issue").path(0).path("code").asString())
        .isEqualTo("throttled");

    assertThat(api().get("/fhir/metadata", neighbour).statusCode())
        .as("another client is not affected")
        .isEqualTo(200);
  }

  private List<HttpResponse<String>> flood(String token, int requests) throws Exception {
    List<HttpResponse<String>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        sent.add(pool.submit(() -> api().withoutRetries().get("/fhir/metadata", token)));
      }
      for (Future<HttpResponse<String>> answer : sent) {
        answers.add(answer.get());
      }
    }
    return answers;
  }
}
