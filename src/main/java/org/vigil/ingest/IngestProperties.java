package org.vigil.ingest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.ZoneId;
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
 * @param maxMessagesPerSecond sustained messages per second one device may send; more are refused
 *     (HTTP 429, MQTT quota exceeded) without affecting other devices
 * @param burst messages a device may send at once above its sustained rate
 * @param deviceClockZone zone of device clocks that send times without an offset (Bluetooth GATT
 *     date-time fields, HL7 timestamps without a zone)
 * @param deadLetterRetention how long dead letters are kept
 */
@Validated
@ConfigurationProperties("vigil.ingest")
public record IngestProperties(
    @Min(1) @DefaultValue("262144") int maxPayloadBytes,
    @Min(1) @DefaultValue("1000") int maxReadingsPerMessage,
    @NotNull @DefaultValue("PT5M") Duration maxFutureSkew,
    @NotNull @DefaultValue("PT10S") Duration durableTimeout,
    @Min(1) @DefaultValue("50") int maxMessagesPerSecond,
    @Min(1) @DefaultValue("100") int burst,
    @NotNull @DefaultValue("UTC") ZoneId deviceClockZone,
    @NotNull @DefaultValue("P14D") Duration deadLetterRetention) {}
