package org.vigil.demo;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The demo ward ({@code vigil demo}).
 *
 * @param enabled seed the ward and run the simulator
 * @param patients how many patients lie on the ward
 * @param host the host name printed in URLs and the credentials file
 * @param seed makes the simulated physiology reproducible
 */
@Validated
@ConfigurationProperties("vigil.demo")
public record DemoProperties(
    @DefaultValue("false") boolean enabled,
    @Min(1) @Max(5000) @DefaultValue("12") int patients,
    @DefaultValue("localhost") String host,
    @DefaultValue("20261124") long seed) {}
