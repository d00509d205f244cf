package org.vigil.ingest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what a device may send, the same on every transport.
 *
 * @param maxPayloadBytes largest message accepted
 * @param maxReadingsPerMessage most readings in one message
 * @param maxFutureSkew how far ahead of Vigil's clock a reading's time may be
 * @param durableTimeout how long a transport waits for readings to become durable before telling
 *     the device to retry
 */
@Validated
@ConfigurationProperties("vigil.ingest")
public record IngestProperties(
    @Min(1) @DefaultValue("262144") int maxPayloadBytes,
    @Min(1) @DefaultValue("1000") int maxReadingsPerMessage,
    @NotNull @DefaultValue("PT5M") Duration maxFutureSkew,
    @NotNull @DefaultValue("PT10S") Duration durableTimeout) {}
