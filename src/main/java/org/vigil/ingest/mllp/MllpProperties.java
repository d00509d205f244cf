package org.vigil.ingest.mllp;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The HL7 v2 MLLP listener for bedside monitors and gateways (IHE PCD-01).
 *
 * @param enabled whether this node listens for HL7 v2 at all
 * @param port the MLLP port (0 turns the listener off)
 */
@Validated
@ConfigurationProperties("vigil.mllp")
public record MllpProperties(
    @DefaultValue("true") boolean enabled, @Min(0) @Max(65535) @DefaultValue("2575") int port) {}
