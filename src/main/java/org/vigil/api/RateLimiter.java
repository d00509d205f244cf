package org.vigil.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * A token bucket per caller: {@code perSecond} sustained, {@code burst} at once. One caller
 * flooding Vigil is refused; the others are not affected. Buckets of callers that went quiet are
 * dropped.
 */
public class RateLimiter {

  private final double ratePerNano;
  private final double burst;
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).build();

  public RateLimiter(double perSecond, double burst) {
    this.ratePerNano = perSecond / 1e9;
    this.burst = burst;
  }

  /** Takes one request from the caller's allowance, or says how long until there is one. */
  public Decision tryAcquire(String caller) {
    return buckets.get(caller, id -> new Bucket(burst)).take(System.nanoTime());
  }

  /** Whether a request may pass, and if not, after how long the caller should try again. */
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
