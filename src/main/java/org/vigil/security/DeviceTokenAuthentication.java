package org.vigil.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.stereotype.Component;
import org.vigil.device.DeviceRegistry;

/**
 * Authenticates a device on the HTTP ingest endpoints: the bearer token must be the token of the
 * device named in the path ({@code /api/v1/ingest/{deviceId}/…}). A device's token therefore cannot
 * send readings as another device.
 */
@Component
class DeviceTokenAuthentication implements AuthenticationManagerResolver<HttpServletRequest> {

  static final String INGEST_PATHS = "/api/v1/ingest/**";
  private static final Pattern DEVICE_PATH = Pattern.compile("^/api/v1/ingest/([^/]+)(?:/.*)?$");

  private final DeviceRegistry devices;
  private final Counter rejected;

  DeviceTokenAuthentication(DeviceRegistry devices, MeterRegistry meters) {
    this.devices = devices;
    this.rejected =
        Counter.builder("vigil.ingest.rejected")
            .description("Device messages refused, by transport and reason")
            .tag("transport", "http")
            .tag("reason", "unauthenticated")
            .register(meters);
  }

  @Override
  public AuthenticationManager resolve(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    Matcher m = DEVICE_PATH.matcher(path);
    String deviceId = m.matches() ? m.group(1) : null;
    return authentication -> {
      String token = ((BearerTokenAuthenticationToken) authentication).getToken();
      if (deviceId != null && devices.authenticate(deviceId, token)) {
        return new AuthenticatedDevice(deviceId);
      }
      rejected.increment();
      throw new InvalidBearerTokenException("unknown device or wrong token");
    };
  }

  /** A device that proved it holds its token. Its name is the device id. */
  static final class AuthenticatedDevice extends AbstractAuthenticationToken {
    private final String deviceId;

    AuthenticatedDevice(String deviceId) {
      super(List.of(new SimpleGrantedAuthority(Role.DEVICE.authority())));
      this.deviceId = deviceId;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public Object getPrincipal() {
      return deviceId;
    }
  }
}
