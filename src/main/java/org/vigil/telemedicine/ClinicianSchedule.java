package org.vigil.telemedicine;

import java.time.Instant;
import java.util.Optional;

/** A clinician's schedule of video visits (FHIR Schedule, its actor the Practitioner). */
public record ClinicianSchedule(
    String id, String practitioner, Optional<String> description, Instant createdAt) {}
