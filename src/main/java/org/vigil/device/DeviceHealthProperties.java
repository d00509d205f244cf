package org.vigil.device;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * When a device counts as offline and its battery as low.
 *
 * @param offlineAfter a device not connected over MQTT is offline when nothing came from it for
 *     this long
 * @param lowBatteryPercent battery levels at or below this count as low
 */
@Validated
@ConfigurationProperties("vigil.devices")
public record DeviceHealthProperties(
    @NotNull @DefaultValue("PT5M") Duration offlineAfter,
    @DefaultValue("20") double lowBatteryPercent) {}
