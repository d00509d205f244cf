package org.vigil.testsupport;

import java.time.Duration;
import java.util.Optional;
import org.apache.http.HttpResponse;
import org.apache.http.client.ServiceUnavailableRetryStrategy;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.protocol.HttpContext;

/**
 * Asking again after a 429, as Retry-After says (capped, so a test never sleeps long): for the JDK
 * client of {@link VigilApi} and, here, for the Apache client HAPI's generic client runs on.
 */
final class ThrottledRetries {

  private static final Duration LONGEST_WAIT = Duration.ofSeconds(2);
  private static final Duration WITHOUT_RETRY_AFTER = Duration.ofMillis(250);

  /** HAPI's own defaults (20 s socket timeout), plus the retries. */
  static final CloseableHttpClient HAPI_HTTP_CLIENT =
      HttpClients.custom()
          .setDefaultRequestConfig(
              RequestConfig.custom().setConnectTimeout(10_000).setSocketTimeout(20_000).build())
          .setMaxConnPerRoute(20)
          .setMaxConnTotal(20)
          .setServiceUnavailableRetryStrategy(new OnTooManyRequests())
          .build();

  private ThrottledRetries() {}

  /** How long to wait before asking again, in milliseconds. */
  static long pauseMillis(Optional<String> retryAfter) {
    Duration wait =
        retryAfter
            .flatMap(ThrottledRetries::seconds)
            .map(Duration::ofSeconds)
            .orElse(WITHOUT_RETRY_AFTER);
    return (wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait).toMillis();
  }

  private static Optional<Long> seconds(String value) {
    try {
      return Optional.of(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static final class OnTooManyRequests implements ServiceUnavailableRetryStrategy {
    private final ThreadLocal<Long> nextWait = ThreadLocal.withInitial(() -> 250L);

    @Override
    public boolean retryRequest(HttpResponse response, int executionCount, HttpContext context) {
      if (response.getStatusLine().getStatusCode() != 429 || executionCount > 20) {
        return false;
      }
      var header = response.getFirstHeader("Retry-After");
      nextWait.set(pauseMillis(Optional.ofNullable(header).map(h -> h.getValue())));
      return true;
    }

    @Override
    public long getRetryInterval() {
      return nextWait.get();
    }
  }
}
