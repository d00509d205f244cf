package org.vigil.node;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where this Vigil node keeps its state and how it tells itself apart from its peers.
 *
 * @param dataDir database (embedded mode), keys and demo credentials live here
 * @param nodeId distinguishes the ids this node generates from those of other nodes in a cluster
 */
@Validated
@ConfigurationProperties("vigil")
public record NodeProperties(
    @NotNull @DefaultValue("./vigil-data") Path dataDir,
    @Min(0) @Max(63) @DefaultValue("0") int nodeId) {}
