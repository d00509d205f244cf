package org.vigil.ingest;

import org.springframework.stereotype.Component;
import org.vigil.api.RateLimiter;

/**
 * Each device's message allowance: {@code maxMessagesPerSecond} sustained, {@code burst} at once,
 * the same on every transport.
 */
@Component
public class DeviceRateLimiter extends RateLimiter {

  public DeviceRateLimiter(IngestProperties limits) {
    super(limits.maxMessagesPerSecond(), limits.burst());
  }
}
