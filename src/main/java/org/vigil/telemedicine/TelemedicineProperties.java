package org.vigil.telemedicine;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How video visits are set up. The media goes from browser to browser; Vigil only relays the
 * signalling, so the STUN and TURN servers that let two browsers find each other across networks
 * are the hospital's to name. None is assumed: on one network (and on loopback) the browsers' host
 * candidates suffice.
 *
 * @param iceServers STUN/TURN URLs handed to both browsers ({@code stun:stun.hospital.org:3478},
 *     {@code turn:turn.hospital.org:3478?transport=udp}); empty by default ({@code --ice-servers}
 *     on {@code ./vigil serve})
 * @param turnUsername the user name for the {@code turn:}/{@code turns:} servers, if they need one
 * @param turnCredential its credential
 * @param linkLifetime how long a join link stays good; each is good once
 * @param rejoinLifetime how long the browser's rejoin link (given on joining, for a reconnect after
 *     a network blip) stays good; each is good once, and every join gives a fresh one
 * @param remindBefore how long before a visit the patient's portal reminds them of it
 * @param onDemandLength how long an on-demand visit ("call the patient now") is booked for
 */
@ConfigurationProperties("vigil.telemedicine")
public record TelemedicineProperties(
    @DefaultValue({}) List<String> iceServers,
    @DefaultValue("") String turnUsername,
    @DefaultValue("") String turnCredential,
    @DefaultValue("PT15M") Duration linkLifetime,
    @DefaultValue("PT2M") Duration rejoinLifetime,
    @DefaultValue("PT15M") Duration remindBefore,
    @DefaultValue("PT30M") Duration onDemandLength) {

  /** One entry of RTCConfiguration.iceServers, as the browser takes it. */
  public record IceServer(
      List<String> urls, Optional<String> username, Optional<String> credential) {}

  public TelemedicineProperties {
    iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
    for (String url : iceServers) {
      String scheme = URI.create(url.strip()).getScheme();
      if (scheme == null
          || !List.of("stun", "stuns", "turn", "turns").contains(scheme.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "vigil.telemedicine.ice-servers: each is a stun:, stuns:, turn: or turns: URL");
      }
    }
    turnUsername = turnUsername == null ? "" : turnUsername;
    turnCredential = turnCredential == null ? "" : turnCredential;
    for (Duration d : List.of(linkLifetime, rejoinLifetime, remindBefore, onDemandLength)) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(
            "vigil.telemedicine: link-lifetime, rejoin-lifetime, remind-before and"
                + " on-demand-length must be positive");
      }
    }
  }

  /** What the browsers are given: the STUN servers as they are, the TURN ones with credentials. */
  public List<IceServer> browserIceServers() {
    return iceServers.stream()
        .map(String::strip)
        .map(url -> {
          boolean turn = url.regionMatches(true, 0, "turn", 0, 4);
          return new IceServer(
              List.of(url),
              turn && !turnUsername.isBlank() ? Optional.of(turnUsername) : Optional.empty(),
              turn && !turnCredential.isBlank() ? Optional.of(turnCredential) : Optional.empty());
        })
        .toList();
  }

  @Override
  public String toString() {
    // the TURN credential stays out of logs and actuator output
    return "TelemedicineProperties[iceServers="
        + iceServers
        + ", linkLifetime="
        + linkLifetime
        + "]";
  }
}
