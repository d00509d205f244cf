package org.vigil.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code _pageId} of a further page of a {@code Patient/{id}/$everything}: the request itself
 * and the last resource of the page before, like {@link ObservationPageToken} for Observation
 * searches — any node serves the page, with nothing remembered between pages. The prefix lets a
 * scope check tell a page of a patient's record before running it; whose data the page holds is
 * checked on what it returns, as for any search.
 */
final class EverythingPageToken {

  static final String PREFIX = "Everything.";

  /** The token's JSON form; short names keep next links short. */
  private record Token(
      String p, List<String> t, String s, int n, String k, String i, String a, long l) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private EverythingPageToken() {}

  static String encode(PatientEverything.Request request, PatientEverything.Position last) {
    Token token =
        new Token(
            request.patientId(),
            request.types().stream().sorted().toList(),
            request.since().map(Instant::toString).orElse(null),
            request.count(),
            last.section().name(),
            last.key(),
            last.at().map(Instant::toString).orElse(null),
            last.number());
    return PREFIX
        + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(token));
  }

  static boolean isEverythingPage(String pageId) {
    return pageId != null && pageId.startsWith(PREFIX);
  }

  /** The page after the token's position; a token this server did not write is a bad request. */
  static PatientEverything.Request decode(String pageId) {
    try {
      byte[] json = Base64.getUrlDecoder().decode(pageId.substring(PREFIX.length()));
      Token t = JSON.readValue(new String(json, StandardCharsets.UTF_8), Token.class);
      if (t.n() < 1 || t.n() > ObservationProvider.MAX_PAGE) {
        throw new IllegalArgumentException("page size");
      }
      if (!PatientEverything.TYPES.containsAll(t.t())) {
        throw new IllegalArgumentException("types");
      }
      return new PatientEverything.Request(
          t.p(),
          Set.copyOf(t.t()),
          Optional.ofNullable(t.s()).map(Instant::parse),
          t.n(),
          Optional.of(
              new PatientEverything.Position(
                  PatientEverything.Section.valueOf(t.k()),
                  t.i(),
                  Optional.ofNullable(t.a()).map(Instant::parse),
                  t.l())));
    } catch (RuntimeException e) { // malformed Base64 or JSON (JacksonException), bad values
      throw new InvalidRequestException(
          "_pageId is not a page of a Patient $everything on this server");
    }
  }
}
