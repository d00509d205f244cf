package org.vigil.fhir.subscription;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoints rest-hooks may point at ({@code vigil.fhir.subscriptions.allowed-endpoints}):
 * scheme, host and port must be those of an entry ({@code *} for any port) and the path must start
 * with the entry's. Host names are compared as written, not resolved: allow names you control, or
 * addresses.
 */
record EndpointAllowList(List<Entry> entries) {

  private static final Pattern ENTRY =
      Pattern.compile(
          "(?i)(https?)://([^/:?#@\\s]+|\\[[0-9a-f:.]+])(?::(\\d{1,5}|\\*))?(/[^?#]*)?");

  record Entry(String scheme, String host, Optional<Integer> port, String path) {}

  static EndpointAllowList of(List<String> allowed) {
    return new EndpointAllowList(
        allowed.stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(EndpointAllowList::entry)
            .toList());
  }

  private static Entry entry(String text) {
    Matcher m = ENTRY.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "vigil.fhir.subscriptions.allowed-endpoints: "
              + text
              + " is not an http(s) URL prefix such as https://ehr.example.org/hooks/ or"
              + " http://127.0.0.1:*");
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    Optional<Integer> port =
        m.group(3) == null
            ? Optional.of(scheme.equals("https") ? 443 : 80)
            : m.group(3).equals("*") ? Optional.empty() : Optional.of(Integer.valueOf(m.group(3)));
    return new Entry(
        scheme, m.group(2).toLowerCase(Locale.ROOT), port, m.group(4) == null ? "/" : m.group(4));
  }

  /** Why the endpoint may not be used, or empty when it may. */
  Optional<String> problem(String endpoint) {
    if (entries.isEmpty()) {
      return Optional.of(
          "rest-hook endpoints must be allowed by vigil.fhir.subscriptions.allowed-endpoints,"
              + " and this server allows none");
    }
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      return Optional.of("the endpoint is not a URL: " + e.getMessage());
    }
    if (uri.getScheme() == null
        || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
        || uri.getHost() == null) {
      return Optional.of("the endpoint must be an absolute http or https URL");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("the endpoint must not carry a user name or password; use channel.header");
    }
    if (uri.getPath() != null && uri.getPath().matches("(.*/)?\\.\\.(/.*)?")) {
      // a receiver would resolve it to a path the prefix never allowed
      return Optional.of("the endpoint's path must not contain ..");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    boolean allowed =
        entries.stream()
            .anyMatch(e ->
                e.scheme().equals(scheme)
                    && e.host().equals(host)
                    && e.port().map(p -> p == port).orElse(true)
                    && path.startsWith(e.path()));
    return allowed
        ? Optional.empty()
        : Optional.of(
            "the endpoint "
                + scheme
                + "://"
                + host
                + ":"
                + port
                + path
                + " is not among those vigil.fhir.subscriptions.allowed-endpoints allows");
  }
}
