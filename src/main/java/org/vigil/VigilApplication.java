package org.vigil;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Vigil server: one Spring application whose features (ingest, store, FHIR API, security, demo)
 * live in their own packages. Started by the {@code vigil} command line ({@link Vigil}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class VigilApplication {}
