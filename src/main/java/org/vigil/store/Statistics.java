package org.vigil.store;

import java.time.Instant;

/**
 * Summary of one patient's readings of one code in one unit over a period: what a clinician asks
 * for when reviewing a shift or a week at home.
 *
 * @param first effective time of the earliest reading counted
 * @param last effective time of the latest reading counted
 */
public record Statistics(
    String patientId,
    String code,
    String unit,
    long count,
    double minimum,
    double maximum,
    double average,
    double median,
    Instant first,
    Instant last) {}
