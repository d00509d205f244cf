package org.vigil.analytics;

import java.time.Instant;

/**
 * A trend began or ended for a patient.
 *
 * @param patientId whose
 * @param kind which trend
 * @param detected true when it began, false when it cleared
 * @param level the sample it was judged on (a per-bucket mean; the NEWS2 total)
 * @param baseline what the level is compared with (the EWMA baseline; the lowest NEWS2 within the
 *     window)
 * @param at the sample's time (the patient's time)
 */
public record TrendChange(
    String patientId,
    TrendKind kind,
    boolean detected,
    double level,
    double baseline,
    Instant at) {}
