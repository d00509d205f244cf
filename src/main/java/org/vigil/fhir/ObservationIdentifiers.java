package org.vigil.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Conditional create of Observations on their identifiers ({@code POST Observation} with {@code
 * If-None-Exist: identifier=system|value}), in table {@code observation_identifier}. The match is
 * among the Observations of the patient the new one is for — the search {@code
 * Observation?patient=…&identifier=…} a client allowed to write for that patient would make — so a
 * caller learns nothing of other patients' readings. Only identifiers given as criteria are kept:
 * readings are stored compactly, without their identifiers, so {@code identifier} is not a search
 * parameter of its own.
 *
 * <p>An identifier is claimed before its reading is stored and released if the store fails, so two
 * creations racing with the same identifier store one reading: the second is told to retry (409)
 * while the first is under way, and then finds it.
 */
@Repository
class ObservationIdentifiers {

  /** An identifier the criteria name. */
  record Identifier(String system, String value) {}

  /**
   * How long a claim may wait for its reading: far longer than storing one takes (the ingest log's
   * durability wait is seconds). A node that stopped after storing the reading but before recording
   * it leaves a claim this old, and a retry after it stores the reading again.
   */
  static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofMinutes(1);

  private final JdbcTemplate jdbc;
  private final Clock clock = Clock.systemUTC();

  ObservationIdentifiers(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The identifiers of {@code If-None-Exist} criteria ({@code identifier=s|v} or several, comma
   * separated, any of which matches).
   *
   * @throws InvalidRequestException naming what is wrong when the criteria are anything else
   */
  static List<Identifier> criteria(String conditionalUrl) {
    int question = conditionalUrl.indexOf('?');
    if (question >= 0 && !conditionalUrl.substring(0, question).endsWith("Observation")) {
      throw new InvalidRequestException(
          "a conditional create of an Observation matches Observations, not " + conditionalUrl);
    }
    Set<Identifier> identifiers = new LinkedHashSet<>();
    for (String pair : conditionalUrl.substring(question + 1).split("&")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      if (!name.equals("identifier")) {
        throw new InvalidRequestException(
            "If-None-Exist: a conditional create of an Observation finds it by identifier"
                + " (identifier=system|value), not by '"
                + name
                + "'");
      }
      for (String token : decode(pair.substring(equals + 1)).split(",")) {
        int bar = token.indexOf('|');
        if (bar <= 0 || bar == token.length() - 1) {
          throw new InvalidRequestException(
              "If-None-Exist: identifier '"
                  + token
                  + "' needs its system and value, as system|value");
        }
        String system = token.substring(0, bar);
        String value = token.substring(bar + 1);
        if (system.length() > 512 || value.length() > 512) {
          throw new InvalidRequestException(
              "If-None-Exist: an identifier's system and value are 512 characters at most");
        }
        identifiers.add(new Identifier(system, value));
      }
    }
    if (identifiers.isEmpty()) {
      throw new InvalidRequestException(
          "If-None-Exist: a conditional create needs criteria: identifier=system|value");
    }
    return List.copyOf(identifiers);
  }

  /**
   * The patient's Observation one of the identifiers names, if any.
   *
   * @throws PreconditionFailedException 412 when they name several
   * @throws ResourceVersionConflictException 409 while a creation under one of them is under way
   */
  Optional<String> existing(String patientId, List<Identifier> identifiers) {
    // A claim a node never completed (it stopped while storing) is let go after a while.
    jdbc.update(
        "delete from observation_identifier"
            + " where patient_id = ? and observation_id is null and claimed_at < ?",
        patientId,
        clock.instant().minus(ABANDONED_AFTER).atOffset(ZoneOffset.UTC));
    Set<String> found = new LinkedHashSet<>();
    for (Identifier identifier : identifiers) {
      List<Optional<String>> rows =
          jdbc.query(
              "select observation_id from observation_identifier"
                  + " where patient_id = ? and id_system = ? and id_value = ?",
              (rs, i) -> Optional.ofNullable(rs.getString(1)),
              patientId,
              identifier.system(),
              identifier.value());
      for (Optional<String> row : rows) {
        if (row.isEmpty()) {
          throw underWay(identifier);
        }
        found.add(row.get());
      }
    }
    if (found.size() > 1) {
      throw new PreconditionFailedException(
          "If-None-Exist: the identifiers match "
              + found.size()
              + " of the patient's Observations; a conditional create needs at most one");
    }
    return found.stream().findFirst();
  }

  /**
   * Claims the identifiers for a creation about to be stored: none may be held, or claimed by a
   * creation racing this one.
   *
   * @throws ResourceVersionConflictException 409 when another creation holds one of them
   */
  void claim(String patientId, List<Identifier> identifiers) {
    List<Identifier> claimed = new ArrayList<>();
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    for (Identifier identifier : identifiers) {
      try {
        jdbc.update(
            "insert into observation_identifier (patient_id, id_system, id_value, claimed_at)"
                + " values (?, ?, ?, ?)",
            patientId,
            identifier.system(),
            identifier.value(),
            now);
        claimed.add(identifier);
      } catch (DuplicateKeyException taken) {
        release(patientId, claimed);
        throw underWay(identifier);
      }
    }
  }

  /** The claimed identifiers now name the stored Observation. */
  void stored(String patientId, List<Identifier> identifiers, String observationId) {
    for (Identifier identifier : identifiers) {
      jdbc.update(
          "update observation_identifier set observation_id = ?"
              + " where patient_id = ? and id_system = ? and id_value = ? and observation_id is null",
          observationId,
          patientId,
          identifier.system(),
          identifier.value());
    }
  }

  /** The creation failed: its claims go, so that the client's retry may create it. */
  void release(String patientId, List<Identifier> identifiers) {
    for (Identifier identifier : identifiers) {
      jdbc.update(
          "delete from observation_identifier"
              + " where patient_id = ? and id_system = ? and id_value = ? and observation_id is null",
          patientId,
          identifier.system(),
          identifier.value());
    }
  }

  private static ResourceVersionConflictException underWay(Identifier identifier) {
    return new ResourceVersionConflictException(
        "an Observation with identifier "
            + identifier.system()
            + "|"
            + identifier.value()
            + " is being created by another request; ask again in a moment");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
