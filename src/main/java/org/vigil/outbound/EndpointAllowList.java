package org.vigil.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Vigil may call out to — alarm webhooks, FHIR rest-hooks — so that a setting or a
 * subscription cannot make it call its own network's insides. An endpoint's scheme, host and port
 * must be those of an entry ({@code *} for any port) and its path must start with the entry's; it
 * carries no user name or password and no {@code ..}. An address that is link-local
 * (169.254.0.0/16, fe80::/10 — where clouds serve instance metadata and credentials), unspecified
 * or multicast, and the host names of cloud metadata services, are refused even when an entry
 * allows them: as written ({@link #problem}) and, at each call, as the host name resolves ({@link
 * #resolvesToForbidden}).
 */
public record EndpointAllowList(String setting, String what, List<Entry> entries) {

  private static final Pattern ENTRY =
      Pattern.compile(
          "(?i)(https?)://([^/:?#@\\s]+|\\[[0-9a-f:.]+])(?::(\\d{1,5}|\\*))?(/[^?#]*)?");

  /** Names clouds give their metadata services, refused whatever they resolve to. */
  private static final Set<String> METADATA_HOSTS =
      Set.of("metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal");

  public record Entry(String scheme, String host, Optional<Integer> port, String path) {}

  public EndpointAllowList {
    entries = List.copyOf(entries);
  }

  /**
   * @param setting the setting the entries come from, named in every refusal
   * @param what what calls out, for the messages: {@code webhook}, {@code rest-hook}
   * @param allowed the setting's entries, URL prefixes
   * @throws IllegalArgumentException naming the setting, for an entry that is no http(s) prefix
   */
  public static EndpointAllowList of(String setting, String what, List<String> allowed) {
    return new EndpointAllowList(
        setting,
        what,
        allowed.stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(e -> entry(setting, e))
            .toList());
  }

  private static Entry entry(String setting, String text) {
    Matcher m = ENTRY.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          setting
              + ": "
              + text
              + " is not an http(s) URL prefix such as https://pager.example.org/vigil/ or"
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

  /** Why the endpoint may not be called, or empty when it may; host names are not resolved. */
  public Optional<String> problem(String endpoint) {
    if (entries.isEmpty()) {
      return Optional.of(
          what + " endpoints must be allowed by " + setting + ", and this server allows none");
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
      return Optional.of("the endpoint must not carry a user name or password");
    }
    if (uri.getPath() != null && uri.getPath().matches("(.*/)?\\.\\.(/.*)?")) {
      // a receiver would resolve it to a path the prefix never allowed
      return Optional.of("the endpoint's path must not contain ..");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (METADATA_HOSTS.contains(host)) {
      return Optional.of("the endpoint's host " + host + " is a cloud metadata service");
    }
    Optional<String> literal = literalAddress(host).flatMap(EndpointAllowList::forbidden);
    if (literal.isPresent()) {
      return literal;
    }
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
                + " is not among those "
                + setting
                + " allows");
  }

  /**
   * Why the endpoint's host, as it resolves now, may not be called: any of its addresses
   * link-local, unspecified or multicast. Empty when none is, or when it does not resolve (the
   * request then fails as a connection error).
   */
  public static Optional<String> resolvesToForbidden(URI endpoint) {
    try {
      for (InetAddress address : InetAddress.getAllByName(endpoint.getHost())) {
        Optional<String> problem = forbidden(address);
        if (problem.isPresent()) {
          return problem;
        }
      }
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<String> forbidden(InetAddress address) {
    if (address.isLinkLocalAddress()) {
      return Optional.of(
          "the endpoint's address "
              + address.getHostAddress()
              + " is link-local (where clouds serve instance metadata)");
    }
    if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return Optional.of(
          "the endpoint's address " + address.getHostAddress() + " is not a single host");
    }
    return Optional.empty();
  }

  /** The host as an address when it is written as one (no lookup), else empty. */
  private static Optional<InetAddress> literalAddress(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(bare)); // a literal: parsed, not looked up
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
