package org.vigil.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vigil.store.MeasurementQuery;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code _pageId} of a further page of an Observation search: the search itself and where the
 * page before ended, so that any node of a cluster can serve the page without remembering the
 * search (no server-side state to expire or to share). The token names the resource type, so a
 * scope check can tell what a page holds before running it; whose data it holds is checked as for
 * any search, on the Observations it returns.
 */
final class ObservationPageToken {

  static final String PREFIX = "Observation.";

  /** The token's JSON form; short names keep next links short. */
  private record Token(
      String p,
      List<String> c,
      String f,
      String t,
      List<String> v,
      String uf,
      String ut,
      boolean d,
      int n,
      String at,
      long id) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ObservationPageToken() {}

  static String encode(MeasurementQuery query, MeasurementQuery.Cursor last) {
    Token token =
        new Token(
            query.patientId(),
            query.codes().stream().sorted().toList(),
            query.from().map(Instant::toString).orElse(null),
            query.to().map(Instant::toString).orElse(null),
            query.devices().stream().sorted().toList(),
            query.storedFrom().map(Instant::toString).orElse(null),
            query.storedTo().map(Instant::toString).orElse(null),
            query.newestFirst(),
            query.limit(),
            last.effectiveAt().toString(),
            last.id());
    return PREFIX
        + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(token));
  }

  static boolean isObservationPage(String pageId) {
    return pageId != null && pageId.startsWith(PREFIX);
  }

  /** The page after the token's cursor; a token this server did not write is a bad request. */
  static MeasurementQuery decode(String pageId) {
    try {
      byte[] json = Base64.getUrlDecoder().decode(pageId.substring(PREFIX.length()));
      Token t = JSON.readValue(new String(json, StandardCharsets.UTF_8), Token.class);
      MeasurementQuery query =
          MeasurementQuery.forPatient(t.p())
              .withCodes(Set.copyOf(t.c()))
              .between(
                  Optional.ofNullable(t.f()).map(Instant::parse),
                  Optional.ofNullable(t.t()).map(Instant::parse))
              .fromDevices(Set.copyOf(t.v()))
              .storedBetween(
                  Optional.ofNullable(t.uf()).map(Instant::parse),
                  Optional.ofNullable(t.ut()).map(Instant::parse))
              .ordered(t.d());
      if (t.n() < 1 || t.n() > ObservationProvider.MAX_PAGE) {
        throw new IllegalArgumentException("page size");
      }
      return query.pageAfter(new MeasurementQuery.Cursor(Instant.parse(t.at()), t.id()), t.n());
    } catch (RuntimeException e) { // malformed Base64 or JSON (JacksonException), bad values
      throw new InvalidRequestException(
          "_pageId is not a page of an Observation search on this server");
    }
  }
}
