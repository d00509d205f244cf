package org.vigil.ingest;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a transport hands to ingestion: who sent it (already authenticated), what kind of content,
 * the bytes, and when they arrived. Transports know nothing about medicine; this is where their job
 * ends.
 *
 * @param deviceId the authenticated device
 * @param transport where it came from ({@code http}, {@code mqtt}, {@code mllp}), for metrics
 * @param content how the payload is to be read
 * @param payload the bytes as received
 * @param receivedAt when they arrived
 */
public record DeviceEnvelope(
    String deviceId, String transport, DeviceContent content, byte[] payload, Instant receivedAt) {

  public DeviceEnvelope {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** The payload's size only: payloads may carry patient data and stay out of logs. */
  @Override
  public String toString() {
    return "DeviceEnvelope[deviceId="
        + deviceId
        + ", transport="
        + transport
        + ", content="
        + content.describe()
        + ", bytes="
        + payload.length
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceEnvelope other
        && deviceId.equals(other.deviceId)
        && transport.equals(other.transport)
        && content.equals(other.content)
        && Arrays.equals(payload, other.payload)
        && receivedAt.equals(other.receivedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceId, transport, content, Arrays.hashCode(payload), receivedAt);
  }
}
