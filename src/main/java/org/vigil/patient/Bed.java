package org.vigil.patient;

/**
 * A bed on a ward, as Vigil knows it: from the patients who lie in it (Vigil keeps no bed register
 * of its own, so an empty bed it never saw is unknown to it).
 *
 * @param ward the ward's name
 * @param name the bed's name on that ward
 */
public record Bed(String ward, String name) {}
