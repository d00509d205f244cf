package org.vigil.telemedicine;

import java.time.Instant;

/**
 * A time a clinician offers for a video visit (FHIR Slot): {@code free} until a patient books it or
 * the clinician invites someone into it, then {@code busy}.
 */
public record OfferedSlot(String id, String scheduleId, Instant start, Instant end, boolean free) {}
