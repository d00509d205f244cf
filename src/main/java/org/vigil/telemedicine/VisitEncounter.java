package org.vigil.telemedicine;

import java.time.Instant;
import java.util.Optional;

/**
 * A video visit as it happened (FHIR Encounter, class VR): from the clinician admitting the patient
 * to the end of the call, with the clinician's note.
 *
 * @param status {@code in-progress} during the call, {@code finished} after it
 */
public record VisitEncounter(
    String id,
    String appointmentId,
    String patientId,
    String practitioner,
    String status,
    Instant start,
    Optional<Instant> end,
    Optional<String> note) {}
