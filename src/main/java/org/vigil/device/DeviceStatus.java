package org.vigil.device;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How a device is doing, as far as Vigil knows. Missing values are missing, not zero: a device that
 * never reported its battery has no battery level, not an empty one.
 *
 * @param deviceId the device
 * @param online connected over MQTT now, or heard from within the offline threshold
 * @param connected whether it holds an MQTT connection, if it ever connected over MQTT
 * @param lastSeen when Vigil last received anything from it
 * @param batteryPercent last reported battery level
 * @param signalDbm last reported signal strength
 * @param statusAt when it last reported its status
 */
public record DeviceStatus(
    String deviceId,
    boolean online,
    Optional<Boolean> connected,
    Optional<Instant> lastSeen,
    OptionalDouble batteryPercent,
    OptionalDouble signalDbm,
    Optional<Instant> statusAt) {}
