package org.vigil.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * A token bucket per device: {@code maxMessagesPerSecond} sustained, {@code burst} at once. One
 * device flooding the node is refused; the others are not affected.
 */
@Component
public class DeviceRateLimiter {

  private final double ratePerNano;
  private final double burst;
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).build();

  public DeviceRateLimiter(IngestProperties limits) {
    this.ratePerNano = limits.maxMessagesPerSecond() / 1e9;
    this.burst = limits.burst();
  }

  /** Takes one message from the device's allowance, or says how long until there is one. */
  public Decision tryAcquire(String deviceId) {
    return buckets.get(deviceId, id -> new Bucket(burst)).take(System.nanoTime());
  }

  /** Whether a message may pass, and if not, after how long the device should try again. */
  public record Decision(boolean allowed, Duration retryAfter) {}

  private final class Bucket {
    private double tokens;
    private long updatedNanos;

    Bucket(double tokens) {
      this.tokens = tokens;
      this.updatedNanos = System.nanoTime();
    }

    synchronized Decision take(long nowNanos) {
      tokens = Math.min(burst, tokens + (nowNanos - updatedNanos) * ratePerNano);
      updatedNanos = nowNanos;
      if (tokens >= 1) {
        tokens -= 1;
        return new Decision(true, Duration.ZERO);
      }
      long waitNanos = (long) Math.ceil((1 - tokens) / ratePerNano);
      return new Decision(false, Duration.ofNanos(waitNanos));
    }
  }
}
